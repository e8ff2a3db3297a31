import type { Slice } from './slices.ts';

/**
 * Which text the overlay reads (README "What is read"): text nodes only, never inputs, editable
 * regions, code, styles or our own badges; open shadow roots and the page's `about:` frames are
 * entered. Pure reads of the DOM, no writes; the walk is a generator that yields when its slice is
 * over (the scheduler decides when that is, `slices.ts`).
 */

/** Where names are never looked for: code, styles, things being typed, and non-rendered text. */
export const SKIP_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'TEXTAREA',
  'INPUT',
  'SELECT',
  'OPTION',
  'TITLE',
  'IFRAME',
  'OBJECT',
]);
export const EDITABLE = '[contenteditable]:not([contenteditable="false"])';

/** What a walk needs from the scanner: its own nodes, the matcher's quick test, observation. */
export interface WalkEnv {
  /** Our own hosts and layers: never read. */
  readonly ours: WeakSet<Node>;
  /** Whether a text may hold a known term (the automaton's pass, `Matcher.mayMatch`). */
  mayMatch(text: string): boolean;
  /** A shadow root or frame document entered: its mutations are watched too. */
  observe(root: Document | ShadowRoot): void;
  /** The readable document of a frame, or null (see `frameDocument`). */
  frameDocument(frame: HTMLIFrameElement): Document | null;
}

/** The text a subtree's fast check reads: a document's body, else the node's own textContent. */
export function textOf(root: Node): string {
  return root.nodeType === Node.DOCUMENT_NODE ? ((root as Document).body?.textContent ?? '') : (root.textContent ?? '');
}

/**
 * Walks a subtree, calling `visit` for each text node that may be read (entering open shadow
 * roots and same-origin about: frames), in slices. With `withText` false (the subtree's text
 * holds no known term) only shadow roots and frames are looked for: they are not in textContent.
 */
export function* walk(
  root: Node,
  env: WalkEnv,
  visit: (t: Text) => void,
  withText: boolean,
  slice: Slice,
): Generator<void, void, void> {
  const doc = root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : root.ownerDocument!;
  const show = withText ? NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT : NodeFilter.SHOW_ELEMENT;
  const walker = doc.createTreeWalker(root, show);
  let n: Node | null = walker.currentNode;
  let count = 0;
  const nested: Node[] = [];
  while (n) {
    if (n.nodeType === Node.TEXT_NODE) {
      visit(n as Text);
      n = walker.nextNode();
    } else if (n.nodeType === Node.ELEMENT_NODE) {
      const e = n as Element;
      if (e !== root && (SKIP_TAGS.has(e.tagName) || env.ours.has(e))) {
        if (e.tagName === 'IFRAME') nested.push(e);
        n = skipSubtree(walker);
        continue;
      }
      if (e.shadowRoot) nested.push(e.shadowRoot);
      n = walker.nextNode();
    } else {
      n = walker.nextNode();
    }
    if (++count % 256 === 0 && slice.over()) {
      yield;
      slice.reset();
    }
  }
  // Shadow roots and frames are not in their host's textContent: each gets its own fast check.
  for (const r of nested) {
    const inner =
      r.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? (r as ShadowRoot) : env.frameDocument(r as HTMLIFrameElement);
    if (!inner) continue;
    env.observe(inner);
    yield* walk(inner, env, visit, env.mayMatch(textOf(inner)), slice);
  }
}

function skipSubtree(walker: TreeWalker): Node | null {
  let n: Node | null = walker.currentNode;
  while (n) {
    const sib = walker.nextSibling();
    if (sib) return sib;
    n = walker.parentNode();
  }
  return null;
}

/**
 * A frame's document when we may read it and our own script does not run in it: about:blank and
 * srcdoc frames of the portal. A frame with its own portal URL gets its own overlay (allFrames).
 * `onLoad` is hooked once per frame (`hooked` remembers): a frame that loads a new document.
 */
export function frameDocument(
  frame: HTMLIFrameElement,
  hooked: WeakSet<Node>,
  onLoad: (doc: Document) => void,
): Document | null {
  try {
    const d = frame.contentDocument;
    if (!d || !d.location.protocol.startsWith('about')) return null;
    if (!hooked.has(frame)) {
      hooked.add(frame);
      frame.addEventListener('load', () => {
        const nd = frame.contentDocument;
        if (nd) onLoad(nd);
      });
    }
    return d;
  } catch {
    return null;
  }
}

/** A changed subtree not to walk at all: skipped tags, our own nodes, editable regions. */
export function skipElement(e: Element, ours: WeakSet<Node>): boolean {
  return SKIP_TAGS.has(e.tagName) || ours.has(e) || e.closest(EDITABLE) !== null;
}

/** Text that may hold a match but must not be read (inside an editable region, a script…). */
export function skipText(t: Text): boolean {
  const p = t.parentElement;
  if (!p) return true;
  if (SKIP_TAGS.has(p.tagName)) return true;
  // Only checked for text that may match: closest() per node would cost the no-match page.
  return p.closest(`${EDITABLE}, textarea, script, style, noscript, template`) !== null;
}

function skipTextCheap(t: Text): boolean {
  const p = t.parentElement;
  return !p || SKIP_TAGS.has(p.tagName);
}

/** The non-blank text nodes of a record, in document order, with those of its open shadow roots. */
export function textNodesIn(el: Element): Text[] {
  const out = textNodesUnder(el);
  // Text inside open shadow roots of the record counts too (a web-component cell).
  el.querySelectorAll('*').forEach((e) => {
    if (e.shadowRoot) out.push(...textNodesUnder(e.shadowRoot));
  });
  return out;
}

function textNodesUnder(root: Element | ShadowRoot): Text[] {
  const out: Text[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n as Text;
    if (t.data.trim() && !skipTextCheap(t)) out.push(t);
  }
  return out;
}
