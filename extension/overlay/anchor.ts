/**
 * Where an inline badge goes in the page. Right after its name's text node — unless that text is
 * inside one of the page's own links or buttons: a button inside a link is invalid (WCAG 4.1.2,
 * nested interactive) and its name would join the link's ("王明龙 王明龙 · 蓝点1 · 等次B"), so the
 * badge goes right after the outermost such element and the portal's link keeps its own name.
 */

/** The page's interactive elements a badge's button must not sit inside. */
const INTERACTIVE = 'a[href], button, [role="link"], [role="button"], summary';

/** The outermost link or button of the page around `t`, if any. */
export function interactiveAround(t: Text): Element | null {
  let found: Element | null = null;
  for (let e = t.parentElement?.closest(INTERACTIVE); e; e = e.parentElement?.closest(INTERACTIVE)) found = e;
  return found;
}

/** The node the badges of `t` follow: `t`, or the link or button around it. */
export function badgeAnchor(t: Text): ChildNode {
  return interactiveAround(t) ?? t;
}

/**
 * The text of `container` after the text node `t` (inside it): with a badge after a link, a name
 * followed by more of the link's text ("张伟同志") needs its name shown in the pill.
 */
export function textAfterIn(t: Text, container: Element): string {
  const range = t.ownerDocument.createRange();
  range.setStart(t, t.data.length);
  range.setEnd(container, container.childNodes.length);
  const out = range.toString();
  range.detach();
  return out;
}

/** `n`'s previous sibling, skipping the nodes `skip` holds (our own badge hosts). */
export function previousSkipping(n: Node, skip: WeakSet<Node>): Node | null {
  let p = n.previousSibling;
  while (p && skip.has(p)) p = p.previousSibling;
  return p;
}
