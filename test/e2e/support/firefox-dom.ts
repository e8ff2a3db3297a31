import type { Page } from 'puppeteer-core';
import { contextId, type FirefoxExtension } from './firefox.ts';

/**
 * Reading the overlay's badges in Firefox. They live in closed shadow roots, which no page
 * script can enter; WebDriver BiDi's node serialization can (`includeShadowTree: 'all'`), as
 * DevTools' `pierce` does in Chromium (overlay-badges.e2e.ts). Each serialized node carries a shared id,
 * so a badge found this way can be measured and clicked like any element.
 */

interface BidiNode {
  type: 'node';
  sharedId: string;
  value: {
    nodeType: number;
    localName?: string;
    nodeValue?: string;
    attributes?: Record<string, string>;
    children?: BidiNode[];
    shadowRoot?: BidiNode | null;
    mode?: 'open' | 'closed';
  };
}

export interface FirefoxBadge {
  /** The page text right before the badge (the text node it follows). */
  after: string;
  /** The badge button's accessible name (its aria-label). */
  label: string;
  /** The shadow root's mode ('closed' for every badge). */
  mode: string;
  /** Attribute names on the host element in the page (only the guard `style`). */
  hostAttributes: string[];
  /** The button, for clickBadge (shared id and the browsing context it lives in). */
  button: { sharedId: string; context: string };
}

/** Every browsing context of the page: the top document, then its frames (depth first). */
async function contexts(ext: FirefoxExtension, page: Page): Promise<string[]> {
  type Info = { context: string; children?: Info[] | null };
  const { contexts: tree } = await ext.bidi<{ contexts: Info[] }>('browsingContext.getTree', { root: contextId(page) });
  const out: string[] = [];
  const walk = (c: Info) => {
    out.push(c.context);
    for (const k of c.children ?? []) walk(k);
  };
  tree.forEach(walk);
  return out;
}

async function documentTree(ext: FirefoxExtension, context: string): Promise<BidiNode | undefined> {
  const r = await ext.bidi<{ type: string; result?: BidiNode }>('script.callFunction', {
    functionDeclaration: '() => document.documentElement',
    // A sandbox: nothing the page defined (or overrode) takes part in the reading.
    target: { context, sandbox: 'dossier-lens-test' },
    awaitPromise: false,
    serializationOptions: { maxDomDepth: null, includeShadowTree: 'all' },
  });
  return r.type === 'success' ? r.result : undefined;
}

function findButton(n: BidiNode): BidiNode | undefined {
  if (n.value.localName === 'button' && n.value.attributes?.['aria-label']) return n;
  for (const c of n.value.children ?? []) {
    const f = findButton(c);
    if (f) return f;
  }
  return undefined;
}

function subtreeText(n: BidiNode): string {
  return n.value.nodeType === 3 ? (n.value.nodeValue ?? '') : (n.value.children ?? []).map(subtreeText).join('');
}

/** Every inline badge on the page (and in its frames), in document order, with the text it follows. */
export async function firefoxBadges(ext: FirefoxExtension, page: Page): Promise<FirefoxBadge[]> {
  const out: FirefoxBadge[] = [];
  for (const context of await contexts(ext, page)) {
    const root = await documentTree(ext, context);
    if (!root) continue;
    const walk = (n: BidiNode) => {
      let lastText = '';
      for (const c of n.value.children ?? []) {
        if (c.value.nodeType === 3) lastText = c.value.nodeValue ?? '';
        // A name in the page's own link gets its badge after the link (WCAG 4.1.2): it follows the link's text.
        if (c.value.localName === 'a') lastText = subtreeText(c);
        const shadow = c.value.shadowRoot;
        const button = c.value.localName === 'span' && shadow ? findButton(shadow) : undefined;
        if (button && shadow) {
          out.push({
            after: lastText.trim(),
            label: button.value.attributes!['aria-label']!,
            mode: shadow.value.mode ?? '',
            hostAttributes: Object.keys(c.value.attributes ?? {}),
            button: { sharedId: button.sharedId, context },
          });
        } else {
          walk(c);
          if (shadow) walk(shadow);
        }
      }
    };
    walk(root);
  }
  return out;
}

/** Clicks a badge (or only moves the mouse over it) where it is drawn, as a user would. */
export async function clickBadge(
  ext: FirefoxExtension,
  page: Page,
  badge: FirefoxBadge,
  how: 'click' | 'hover' = 'click',
): Promise<void> {
  const r = await ext.bidi<{ type: string; result?: { value: [string, { value: number }][] } }>('script.callFunction', {
    functionDeclaration:
      "(b) => { b.scrollIntoView({ block: 'center' }); const r = b.getBoundingClientRect(); " +
      'return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; }',
    target: { context: badge.button.context, sandbox: 'dossier-lens-test' },
    arguments: [{ sharedId: badge.button.sharedId }],
    awaitPromise: false,
  });
  if (r.type !== 'success' || !r.result) throw new Error(`badge ${badge.label} cannot be measured`);
  const at = Object.fromEntries(r.result.value.map(([k, v]) => [k, v.value])) as { x: number; y: number };
  if (badge.button.context !== contextId(page))
    throw new Error('clickBadge: badges in frames are not clicked by these tests');
  if (how === 'click') await page.mouse.click(at.x, at.y);
  else await page.mouse.move(at.x, at.y);
}
