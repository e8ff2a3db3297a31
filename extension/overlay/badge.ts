import type { SubjectSummary } from '../../core/model/summary.ts';
import type { Resolution } from '../../core/match/matcher.ts';
import { COLOURS, type Colour } from '../../core/model/vocabulary.ts';
import { buildCard, describe, wireCard } from './card.ts';
import { BADGE_CSS, badgeSheet } from './styles.ts';
import type { Form } from './placement.ts';
import type { OverlayText } from './text.ts';
import { el } from './dom.ts';

/**
 * One badge: a bare <span> host in the page (no attributes, no text, nothing a page script can
 * read) with a CLOSED shadow root holding a focusable button. The button's text and accessible
 * name say who and what ("张伟 · 黑点1 · 等次D · 预警"); the hover/focus card is built only when
 * first shown, in the same shadow root, and rendered in the top layer (popover) so a table cell's
 * overflow cannot clip it. All DOM is built with createElement/textContent: no HTML is ever parsed.
 */

export const GLYPHS: Record<Colour, string> = { red: '●', blue: '○', yellow: '▲', black: '■' };

/** Description ids, unique in a document (so within every closed root). */
let descriptions = 0;

export type OpenTarget =
  { type: 'cadre' | 'unit'; id: string } | { candidates: { type: 'cadre' | 'unit'; id: string }[] };

export interface Badge {
  /** The element placed: a bare span in the page (inline), or a spot in a table layer's shadow root. */
  host: HTMLElement;
  /** What it shows, to keep it when a re-scan finds the same thing. */
  signature: string;
  /** The pill's parts, as width keys (`segmentKey`): its width is the chrome plus theirs. */
  segments: readonly string[];
  /** Switches between the full pill and the compact mark (layered badges only; see placement.ts). */
  setForm(form: Form): void;
  /**
   * A focus stand-in for this (inline) badge in a large table's layer, so keyboard and screen
   * reader meet every badge of the table in row order (WCAG 2.4.3): the stand-in is the one in
   * the focus order and the accessibility tree; focusing it rings and opens this badge. Returns
   * the stand-in's spot (for the layer), invisible itself.
   */
  proxy(): HTMLElement;
}

/**
 * The compact mark's one glyph: a black or yellow dot's shape when there is one (black first),
 * else the grade letter; "?" for an ambiguous name. Red and blue dots are ordinary and stay in the
 * card (README, "What a badge says"). The accessible name and the card still say everything.
 */
export function markGlyph(r: Resolution): { text: string; colour: Colour | null } {
  if (r.kind === 'ambiguous') return { text: '?', colour: null };
  const s = r.subject;
  for (const c of ['black', 'yellow'] as const) if (s.dots[c] > 0) return { text: GLYPHS[c], colour: c };
  return { text: s.grade || '·', colour: null };
}

/**
 * How loud a badge is. `loud`: something that matters — a black or yellow dot, a warning, a
 * negative-list flag, an influence period running, an invalid entry. `quiet`: nothing of that (a
 * grade, red or blue dots only): the pill shows only its grade letter, muted. `plain`: an
 * ambiguous name (it asks to be resolved, nothing more).
 */
export function loudness(r: Resolution): 'loud' | 'quiet' | 'plain' {
  if (r.kind === 'ambiguous') return 'plain';
  const s = r.subject;
  const matters =
    s.dots.black > 0 ||
    s.dots.yellow > 0 ||
    s.warnings.length > 0 ||
    s.flags > 0 ||
    s.periods.length > 0 ||
    s.invalid > 0;
  return matters ? 'loud' : s.grade ? 'quiet' : 'plain';
}

const ref = (s: SubjectSummary) => ({ type: s.type, id: s.id });

/** Everything a badge shows (pill and card): equal signatures mean the badge can stay as is. */
export function signatureOf(r: Resolution, label: string): string {
  return `${label}|${JSON.stringify(r.kind === 'subject' ? r.subject : r.candidates)}`;
}

/** "张伟 · 黑点1 · 等次D · 预警 · 负面清单2" (or the English equivalent). */
export function accessibleName(r: Resolution, name: string, tx: OverlayText): string {
  if (r.kind === 'ambiguous') return [name, tx.ambiguous(r.candidates.length)].join(' · ');
  const s = r.subject;
  const parts = [name];
  for (const c of COLOURS) if (s.dots[c] > 0) parts.push(tx.dot(c, s.dots[c]));
  if (s.grade) parts.push(tx.grade(s.grade));
  if (s.warnings.length > 0) parts.push(tx.warning);
  if (s.flags > 0) parts.push(tx.flags(s.flags));
  if (s.invalid > 0) parts.push(tx.invalid(s.invalid));
  return parts.join(' · ');
}

export interface BadgeOptions {
  /** The name as written on the page. */
  name: string;
  /** Show the name inside the pill: the badge cannot sit right after it (mid-sentence). */
  labelled: boolean;
  text: OverlayText;
  onOpen(target: OpenTarget): void;
}

/**
 * A closed shadow root on `host` with the badges' one shared sheet. The host's inline style only
 * guards its box against page CSS (`td span { display:block }`); it carries no data.
 */
export function closedRoot(host: HTMLElement, display: string): ShadowRoot {
  const doc = host.ownerDocument;
  // `all: initial` resets inherited text styles at the boundary too.
  host.style.setProperty('all', 'initial', 'important');
  host.style.setProperty('display', display, 'important');
  const root = host.attachShadow({ mode: 'closed' });
  try {
    root.adoptedStyleSheets = [badgeSheet(doc)];
  } catch {
    // Firefox content scripts have refused constructed sheets across the Xray boundary; there the
    // badge carries its own copy rather than showing unstyled (untested here: no Firefox on CI).
    root.append(el(doc, 'style', undefined, BADGE_CSS));
  }
  return root;
}

/** A badge in the page's flow: its own bare host span, right after the name's text node. */
export function createBadge(doc: Document, r: Resolution, opts: BadgeOptions): Badge {
  const host = doc.createElement('span');
  const root = closedRoot(host, 'inline-block');
  host.style.setProperty('vertical-align', 'middle', 'important');
  const badge = { host, ...buildPill(doc, r, opts, root, root) };
  badge.setForm('pill');
  return badge;
}

/**
 * A badge drawn in a table's layer (placement.ts): a positioned spot inside the layer's one
 * closed shadow root, so the page sees a single element beside the table, not one per name.
 */
export function createLayeredBadge(doc: Document, r: Resolution, opts: BadgeOptions, root: ShadowRoot): Badge {
  const host = el(doc, 'span', 'spot');
  return { host, ...buildPill(doc, r, opts, host, root) };
}

/** The pill button (appended to `parent`) with its card (shown in `root`), and its behaviour. */
function buildPill(
  doc: Document,
  r: Resolution,
  opts: BadgeOptions,
  parent: Node,
  root: ShadowRoot,
): Omit<Badge, 'host'> {
  const tx = opts.text;
  const button = el(doc, 'button', `pill ${loudness(r)}`);
  button.type = 'button';
  button.setAttribute('aria-label', accessibleName(r, opts.name, tx));
  // The card's words are the badge's description (WCAG 1.4.13, 4.1.2): a hidden element in the
  // same closed root, referenced by id (ids are scoped to the root; a layer's root holds many).
  const desc = el(doc, 'span', 'desc', describe(r, tx));
  desc.id = `d${++descriptions}`;
  button.setAttribute('aria-describedby', desc.id);
  // What is drawn inside is built for the form shown, when first shown: a badge that lives as a
  // compact mark (most of a tight roster column) never builds the pill's parts, and vice versa.
  let pillBuilt = false;
  let markBuilt = false;
  const setForm = (form: Form) => {
    if (form === 'pill' && !pillBuilt) {
      pillBuilt = true;
      button.prepend(...pillParts(doc, r, opts));
    }
    if (form === 'mark' && !markBuilt) {
      markBuilt = true;
      const g = markGlyph(r);
      const mark = el(doc, 'span', g.colour ? `mark ${g.colour}` : 'mark', g.colour ? undefined : g.text);
      if (g.colour) mark.append(el(doc, 'span', 'g'));
      button.append(mark);
      if (r.kind === 'subject' && r.subject.warnings.length > 0) button.classList.add('warned');
      if (r.kind === 'subject' && r.subject.flags > 0) button.classList.add('flagged');
    }
    button.classList.toggle('compact', form === 'mark');
  };
  parent.appendChild(button);
  parent.appendChild(desc);
  const card = wireCard(button, root, () => buildCard(doc, r, tx));
  const open = () => {
    card.dismiss();
    opts.onOpen(r.kind === 'subject' ? ref(r.subject) : { candidates: r.candidates.map(ref) });
  };
  const proxy = () => {
    // The badge itself leaves the focus order and the tree: its stand-in is met in row order.
    button.tabIndex = -1;
    button.setAttribute('aria-hidden', 'true');
    const spot = el(doc, 'span', 'spot proxy');
    const stand = el(doc, 'button', 'pill');
    stand.type = 'button';
    stand.setAttribute('aria-label', button.getAttribute('aria-label')!);
    const d = el(doc, 'span', 'desc', desc.textContent ?? '');
    d.id = `d${++descriptions}`;
    stand.setAttribute('aria-describedby', d.id);
    stand.addEventListener('focus', () => {
      button.classList.add('proxy-focus');
      button.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      card.focus();
    });
    stand.addEventListener('blur', () => {
      button.classList.remove('proxy-focus');
      card.blur();
    });
    stand.addEventListener('click', (e) => {
      e.preventDefault();
      e.stopPropagation();
      open();
    });
    for (const type of ['keydown', 'keyup']) stand.addEventListener(type, (e) => e.stopPropagation());
    spot.append(stand, d);
    return spot;
  };
  button.addEventListener('click', (e) => {
    // The name may sit inside the page's own link or clickable row: the badge's click is ours.
    e.preventDefault();
    e.stopPropagation();
    open();
  });
  // Keep pointer and key events from reaching the page's row handlers (they would see the host).
  for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'dblclick', 'keydown', 'keyup']) {
    button.addEventListener(type, (e) => e.stopPropagation());
  }
  const segments = pillSegments(r, opts.labelled ? opts.name : '').map(segmentKey);
  return { signature: signatureOf(r, opts.labelled ? opts.name : ''), segments, setForm, proxy };
}

/** One visible part of a pill: its class (styles.ts) and text. */
export interface Segment {
  cls: string;
  text: string;
}

/** The pill's visible parts: name (when labelled), dots with counts, grade, marks. */
export function pillSegments(r: Resolution, label: string): Segment[] {
  const parts: Segment[] = [];
  if (label) parts.push({ cls: 'name', text: label });
  if (r.kind === 'ambiguous') return [...parts, { cls: 'ambiguous', text: `?${r.candidates.length}` }];
  const s = r.subject;
  // A quiet badge shows its grade only (loudness): the ordinary does not compete with what matters.
  if (loudness(r) === 'quiet') return [...parts, { cls: 'grade', text: s.grade }];
  for (const c of COLOURS) if (s.dots[c] > 0) parts.push({ cls: `dot ${c}`, text: `${GLYPHS[c]}${s.dots[c]}` });
  if (s.grade) parts.push({ cls: 'grade', text: s.grade });
  if (s.warnings.length > 0) parts.push({ cls: 'warn', text: '!' });
  if (s.flags > 0) parts.push({ cls: 'flag', text: s.flags > 1 ? `⚑${s.flags}` : '⚑' });
  if (s.invalid > 0) parts.push({ cls: 'invalid', text: '!' });
  return parts;
}

/**
 * What decides a part's width: its class and its text, with digits as 0 — digits are tabular
 * (styles.ts), so counts with as many digits are as wide. A pill's width is then its chrome
 * (border, padding, margins) plus its parts' widths plus the gaps between them, so a handful of
 * measured parts size every pill on a page without laying each one out.
 */
export function segmentKey(s: Segment): string {
  return `${s.cls}:${s.text.replace(/\d/g, '0')}`;
}

/**
 * One part's element. A dot is its shape (an empty `.g`, drawn by CSS: styles.ts) and its count;
 * the measuring sample (layered.ts) builds its parts here too, so measured widths are drawn ones.
 */
export function segmentElement(doc: Document, s: Segment): HTMLElement {
  if (!s.cls.startsWith('dot ')) return el(doc, 'span', s.cls, s.text);
  const part = el(doc, 'span', s.cls);
  part.append(el(doc, 'span', 'g'), s.text.slice(1));
  return part;
}

function pillParts(doc: Document, r: Resolution, opts: BadgeOptions): HTMLElement[] {
  return pillSegments(r, opts.labelled ? opts.name : '').map((s) => segmentElement(doc, s));
}
