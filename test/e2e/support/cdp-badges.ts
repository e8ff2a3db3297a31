import type { Page } from 'playwright-core';

/**
 * Reading the overlay's badges in Chromium. They live in closed shadow roots, so tests read them
 * the way assistive technology does — through the DevTools protocol (the DOM with `pierce`, and
 * the accessibility tree) — and click them where they are drawn.
 */

export interface CdpNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string;
  attributes?: string[];
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  shadowRootType?: string;
  contentDocument?: CdpNode;
  backendNodeId: number;
}

export interface SeenBadge {
  /** The page text right before the badge (the text node it follows). */
  after: string;
  label: string;
  button: number;
  /** 'closed' for every badge; and no <style>/<link> of its own (one adopted sheet for all). */
  rootType: string;
  ownStyles: number;
  /** Attributes on the host element in the page (only the guard `style`). */
  hostAttributes: string[];
}

export const attr = (n: CdpNode, name: string) => {
  const a = n.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
};

export function countStyles(n: CdpNode): number {
  return (
    (n.nodeName === 'STYLE' || n.nodeName === 'LINK' ? 1 : 0) +
    (n.children ?? []).reduce((a, c) => a + countStyles(c), 0)
  );
}

function badgeButton(host: CdpNode): CdpNode | undefined {
  const root = host.shadowRoots?.[0];
  const find = (n: CdpNode): CdpNode | undefined => {
    if (n.nodeName === 'BUTTON' && attr(n, 'aria-label')) return n;
    for (const c of n.children ?? []) {
      const f = find(c);
      if (f) return f;
    }
    return undefined;
  };
  return root ? find(root) : undefined;
}

/** A large table's layer host: its closed root holds the pane the table's badges are drawn in. */
export const isLayer = (host: CdpNode) =>
  host.shadowRoots?.[0]?.children?.some((c) => c.nodeName === 'DIV' && attr(c, 'class') === 'pane') ?? false;

function subtreeText(n: CdpNode): string {
  return n.nodeType === 3 ? n.nodeValue : (n.children ?? []).map(subtreeText).join('');
}

/** Every inline badge on the page, in document order, with the text it follows. */
export async function badges(page: Page): Promise<SeenBadge[]> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: CdpNode };
  await cdp.detach();
  const out: SeenBadge[] = [];
  const walk = (n: CdpNode) => {
    let lastText = '';
    for (const c of n.children ?? []) {
      if (c.nodeType === 3) lastText = c.nodeValue;
      // A name in the page's own link gets its badge after the link (WCAG 4.1.2): it follows the link's text.
      if (c.nodeName === 'A') lastText = subtreeText(c);
      // (A large table's badge layer is not a badge: layeredBadges reads those.)
      const button = c.nodeName === 'SPAN' && c.shadowRoots?.length && !isLayer(c) ? badgeButton(c) : undefined;
      if (button) {
        const root = c.shadowRoots![0]!;
        out.push({
          after: lastText.trim(),
          label: attr(button, 'aria-label')!,
          button: button.backendNodeId,
          rootType: root.shadowRootType ?? '',
          ownStyles: countStyles(root),
          hostAttributes: (c.attributes ?? []).filter((_, i) => i % 2 === 0),
        });
      } else walk(c);
    }
    for (const s of n.shadowRoots ?? []) walk(s);
    if (n.contentDocument) walk(n.contentDocument);
  };
  walk(root);
  return out;
}

export async function piercedDocument(page: Page): Promise<CdpNode> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: CdpNode };
  await cdp.detach();
  return root;
}

/** Names of the buttons in the accessibility tree (what a screen reader announces). */
export async function accessibleButtons(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { role?: { value: string }; name?: { value: string } }[];
  };
  await cdp.detach();
  return nodes.filter((n) => n.role?.value === 'button').map((n) => n.name?.value ?? '');
}

export async function clickBackendNode(
  page: Page,
  backendNodeId: number,
  how: 'click' | 'hover' = 'click',
): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId });
  const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId })) as { model: { content: number[] } };
  await cdp.detach();
  const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
  const x = (x1 + x3) / 2;
  const y = (y1 + y3) / 2;
  if (how === 'click') await page.mouse.click(x, y);
  else await page.mouse.move(x, y);
}

/** Moves keyboard focus to a node (a badge's button inside its closed root), as Tab would. */
export async function focusBackendNode(page: Page, backendNodeId: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.focus', { backendNodeId });
  await cdp.detach();
}

/** The texts in the accessibility tree (what a screen reader can reach: rendered, not display: none). */
export async function accessibleTexts(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { role?: { value: string }; name?: { value: string } }[];
  };
  await cdp.detach();
  return nodes.filter((n) => n.role?.value === 'StaticText').map((n) => n.name?.value ?? '');
}

/**
 * Names of the buttons in the accessibility tree in tree order — the order a screen reader
 * reads them in (the protocol's flat node list is not in that order).
 */
export async function accessibleButtonsInOrder(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  type Node = {
    nodeId: string;
    parentId?: string;
    childIds?: string[];
    role?: { value: string };
    name?: { value: string };
  };
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Node[] };
  await cdp.detach();
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const out: string[] = [];
  const visit = (n: Node) => {
    if (n.role?.value === 'button') out.push(n.name?.value ?? '');
    for (const c of n.childIds ?? []) {
      const child = byId.get(c);
      if (child) visit(child);
    }
  };
  for (const root of nodes.filter((n) => !n.parentId || !byId.has(n.parentId))) visit(root);
  return out;
}

export interface AxNode {
  role?: { value: string };
  name?: { value: string };
  description?: { value: string };
}

/** The accessibility tree's nodes (what a screen reader reads), with names and descriptions. */
export async function axNodes(page: Page): Promise<AxNode[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  return nodes;
}
