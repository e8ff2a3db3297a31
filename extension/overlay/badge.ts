import type { SubjectSummary } from '../../core/model/summary.ts';
import type { Resolution } from '../../core/match/matcher.ts';
import { COLOURS, type Colour } from '../../core/model/vocabulary.ts';
import { BADGE_CSS, badgeSheet } from './styles.ts';
import type { OverlayText } from './text.ts';

/**
 * One badge: a bare <span> host in the page (no attributes, no text, nothing a page script can
 * read) with a CLOSED shadow root holding a focusable button. The button's text and accessible
 * name say who and what ("张伟 · 黑点1 · 等次D · 预警"); the hover/focus card is built only when
 * first shown, in the same shadow root, and rendered in the top layer (popover) so a table cell's
 * overflow cannot clip it. All DOM is built with createElement/textContent: no HTML is ever parsed.
 */

export const GLYPHS: Record<Colour, string> = { red: '●', blue: '○', yellow: '▲', black: '■' };

export type OpenTarget = { type: 'cadre' | 'unit'; id: string } | { candidates: { type: 'cadre' | 'unit'; id: string }[] };

export interface Badge {
  host: HTMLElement;
  /** What it shows, to keep it when a re-scan finds the same thing. */
  signature: string;
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

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface BadgeOptions {
  /** The name as written on the page. */
  name: string;
  /** Show the name inside the pill: the badge cannot sit right after it (mid-sentence). */
  labelled: boolean;
  text: OverlayText;
  onOpen(target: OpenTarget): void;
}

export function createBadge(doc: Document, r: Resolution, opts: BadgeOptions): Badge {
  const tx = opts.text;
  const host = doc.createElement('span');
  // Inline style only guards the host's box against page CSS (`td span { display:block }`); it
  // carries no data. `all: initial` resets inherited text styles at the boundary too.
  host.style.setProperty('all', 'initial', 'important');
  host.style.setProperty('display', 'inline-block', 'important');
  host.style.setProperty('vertical-align', 'middle', 'important');
  const root = host.attachShadow({ mode: 'closed' });
  try {
    root.adoptedStyleSheets = [badgeSheet(doc)];
  } catch {
    // Firefox content scripts have refused constructed sheets across the Xray boundary; there the
    // badge carries its own copy rather than showing unstyled (untested here: no Firefox on CI).
    root.append(el(doc, 'style', undefined, BADGE_CSS));
  }

  const button = el(doc, 'button', 'pill');
  button.type = 'button';
  const label = accessibleName(r, opts.name, tx);
  button.setAttribute('aria-label', label);
  if (opts.labelled) button.append(el(doc, 'span', 'name', opts.name));
  if (r.kind === 'ambiguous') {
    button.append(el(doc, 'span', 'ambiguous', `?${r.candidates.length}`));
  } else {
    const s = r.subject;
    for (const c of COLOURS) {
      if (s.dots[c] <= 0) continue;
      const d = el(doc, 'span', `dot ${c}`);
      d.append(el(doc, 'span', undefined, GLYPHS[c]), el(doc, 'span', undefined, String(s.dots[c])));
      button.append(d);
    }
    if (s.grade) button.append(el(doc, 'span', 'grade', s.grade));
    if (s.warnings.length > 0) button.append(el(doc, 'span', 'warn', '⚠'));
    if (s.flags > 0) button.append(el(doc, 'span', 'flag', s.flags > 1 ? `⚑${s.flags}` : '⚑'));
    if (s.invalid > 0) button.append(el(doc, 'span', 'invalid', '!'));
  }
  root.append(button);

  let card: HTMLElement | undefined;
  const show = () => {
    card ??= buildCard(doc, r, tx);
    if (!card.isConnected) root.append(card);
    if (!card.matches(':popover-open')) card.showPopover();
    const b = button.getBoundingClientRect();
    const view = doc.defaultView!;
    const c = card.getBoundingClientRect();
    const top = b.bottom + 4 + c.height > view.innerHeight ? Math.max(0, b.top - 4 - c.height) : b.bottom + 4;
    card.style.top = `${top}px`;
    card.style.left = `${Math.max(0, Math.min(b.left, view.innerWidth - c.width - 4))}px`;
  };
  const hide = () => {
    if (card?.matches(':popover-open')) card.hidePopover();
  };
  button.addEventListener('mouseenter', show);
  button.addEventListener('focus', show);
  button.addEventListener('mouseleave', hide);
  button.addEventListener('blur', hide);
  button.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') hide();
  });
  button.addEventListener('click', (e) => {
    // The name may sit inside the page's own link or clickable row: the badge's click is ours.
    e.preventDefault();
    e.stopPropagation();
    opts.onOpen(r.kind === 'subject' ? ref(r.subject) : { candidates: r.candidates.map(ref) });
  });
  // Keep pointer and key events from reaching the page's row handlers (they would see the host).
  for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'dblclick', 'keydown', 'keyup']) {
    button.addEventListener(type, (e) => e.stopPropagation());
  }
  return { host, signature: signatureOf(r, opts.labelled ? opts.name : '') };
}

function buildCard(doc: Document, r: Resolution, tx: OverlayText): HTMLElement {
  const card = el(doc, 'div', 'card');
  card.setAttribute('popover', 'manual');
  card.setAttribute('role', 'tooltip');
  if (r.kind === 'ambiguous') {
    card.append(el(doc, 'h2', undefined, tx.ambiguousTitle(r.candidates.length)));
    const ul = el(doc, 'ul');
    for (const c of r.candidates) ul.append(el(doc, 'li', undefined, [c.name, c.unitName, c.post].filter(Boolean).join(' · ')));
    card.append(ul, el(doc, 'p', 'muted', tx.ambiguousHint));
    return card;
  }
  const s = r.subject;
  card.append(el(doc, 'h2', undefined, s.name));
  const where = s.type === 'cadre' ? [s.unitName, s.post].filter(Boolean).join(' · ') : tx.unit;
  if (where) card.append(el(doc, 'p', 'muted', where));
  const dots = el(doc, 'p');
  for (const c of COLOURS) {
    if (s.dots[c] <= 0) continue;
    if (dots.childNodes.length > 0) dots.append('　');
    dots.append(el(doc, 'span', `dot ${c}`, GLYPHS[c]), ` ${tx.dot(c, s.dots[c])}`);
  }
  if (dots.childNodes.length === 0) dots.textContent = tx.noDots;
  card.append(dots);
  if (s.grade) {
    // The rules' reason may already name the grade ("等次B：…"); do not say it twice.
    const g = tx.grade(s.grade);
    card.append(el(doc, 'p', undefined, s.gradeReason.startsWith(g) ? s.gradeReason : [g, s.gradeReason].filter(Boolean).join('：')));
  }
  for (const w of s.warnings) card.append(el(doc, 'p', 'warnline', `⚠ ${w}`));
  if (s.flags > 0) card.append(el(doc, 'p', undefined, `⚑ ${tx.flags(s.flags)}`));
  if (s.periods.length > 0) {
    card.append(el(doc, 'p', 'muted', tx.periods));
    const ul = el(doc, 'ul');
    for (const p of s.periods) ul.append(el(doc, 'li', undefined, `· ${p}`));
    card.append(ul);
  }
  if (s.invalid > 0) card.append(el(doc, 'p', 'invalid', tx.invalid(s.invalid)));
  card.append(el(doc, 'p', 'legend', tx.legend));
  return card;
}
