import type { Resolution } from '../../core/match/matcher.ts';
import { COLOURS } from '../../core/model/vocabulary.ts';
import type { OverlayText } from './text.ts';
import { el } from './dom.ts';

/**
 * A badge's card: what the badge means in full (where the cadre works, dots, grade and why,
 * warnings, flags, periods running and ended, the legend). Built with createElement/textContent
 * only. The same lines are a badge's accessible description (`cardLines` joined), so a screen
 * reader hears what a sighted user reads on hover.
 *
 * WCAG 1.4.13: the card is hoverable (the pointer may move from the badge onto it, across the gap,
 * and it stays), dismissable (Escape, wherever focus is) and persistent (it stays until the pointer
 * and focus have both left, or Escape).
 */

export type LineKind =
  | 'title'
  | 'muted'
  | 'dots'
  | 'grade'
  | 'warnline'
  | 'flag'
  | 'periods'
  | 'period'
  | 'over'
  | 'invalid'
  | 'legend'
  | 'item';

export interface Line {
  kind: LineKind;
  text: string;
}

/** The card's content as lines (pure): the card draws them, the accessible description joins them. */
export function cardLines(r: Resolution, tx: OverlayText): Line[] {
  if (r.kind === 'ambiguous') {
    return [
      { kind: 'title', text: tx.ambiguousTitle(r.candidates.length) },
      ...r.candidates.map((c) => ({
        kind: 'item' as const,
        text: [c.name, c.unitName, c.post].filter(Boolean).join(' · '),
      })),
      { kind: 'muted', text: tx.ambiguousHint },
    ];
  }
  const s = r.subject;
  const out: Line[] = [{ kind: 'title', text: s.name }];
  const where = s.type === 'cadre' ? [s.unitName, s.post].filter(Boolean).join(' · ') : tx.unit;
  if (where) out.push({ kind: 'muted', text: where });
  const dots = COLOURS.filter((c) => s.dots[c] > 0).map((c) => tx.dot(c, s.dots[c]));
  out.push({ kind: 'dots', text: dots.length > 0 ? dots.join('　') : tx.noDots });
  if (s.grade) {
    // The rules' reason may already name the grade ("等次B：…"); do not say it twice.
    const g = tx.grade(s.grade);
    out.push({
      kind: 'grade',
      text: s.gradeReason.startsWith(g) ? s.gradeReason : [g, s.gradeReason].filter(Boolean).join('：'),
    });
  }
  for (const w of s.warnings) out.push({ kind: 'warnline', text: `⚠ ${w}` });
  if (s.flags > 0) out.push({ kind: 'flag', text: `⚑ ${tx.flags(s.flags)}` });
  if (s.periods.length > 0) {
    out.push({ kind: 'periods', text: tx.periods });
    for (const p of s.periods) out.push({ kind: 'period', text: `· ${p}` });
  }
  // A black dot whose influence period is over: say so, so "no sanction in its period" beside it
  // does not read as a contradiction.
  for (const e of s.endedPeriods ?? []) out.push({ kind: 'over', text: e });
  if (s.invalid > 0) out.push({ kind: 'invalid', text: tx.invalid(s.invalid) });
  out.push({ kind: 'legend', text: tx.legend });
  return out;
}

/** The accessible description: the card's lines minus the title (the badge's name says who). */
export function describe(r: Resolution, tx: OverlayText): string {
  return cardLines(r, tx)
    .filter((l) => l.kind !== 'title')
    .map((l) => l.text)
    .join('；');
}

/**
 * The card goes in the top layer (a popover) where the browser has popovers: Chromium 114+,
 * Firefox 125+. Before that (the README's minimum is Chromium 109) it is a fixed-position card
 * shown and hidden with `hidden`; a table cell's overflow still does not clip it, only a page's
 * transformed ancestor could.
 */
const hasPopover = typeof HTMLElement !== 'undefined' && typeof HTMLElement.prototype.showPopover === 'function';

export function buildCard(doc: Document, r: Resolution, tx: OverlayText): HTMLElement {
  const card = el(doc, 'div', 'card');
  if (hasPopover) card.setAttribute('popover', 'manual');
  else card.hidden = true;
  // Not role=tooltip: the button's description (aria-describedby) already carries these words;
  // the card is what a sighted user reads, and what a screen reader can browse to while it is open.
  let list: HTMLUListElement | null = null;
  for (const line of cardLines(r, tx)) {
    if (line.kind === 'item' || line.kind === 'period') {
      list ??= card.appendChild(el(doc, 'ul'));
      list.append(el(doc, 'li', line.kind === 'period' ? 'period' : undefined, line.text));
      continue;
    }
    list = null;
    if (line.kind === 'title') card.append(el(doc, 'h2', undefined, line.text));
    else if (line.kind === 'dots' && r.kind === 'subject') {
      const p = el(doc, 'p');
      for (const c of COLOURS) {
        if (r.subject.dots[c] <= 0) continue;
        if (p.childNodes.length > 0) p.append('　');
        const dot = el(doc, 'span', `dot ${c}`);
        dot.append(el(doc, 'span', 'g'));
        p.append(dot, tx.dot(c, r.subject.dots[c]));
      }
      if (p.childNodes.length === 0) p.textContent = line.text;
      card.append(p);
    } else card.append(el(doc, 'p', line.kind === 'periods' ? 'muted' : line.kind, line.text));
  }
  return card;
}

/**
 * Shows and hides `card` for `button`: on hover and focus. It stays while the pointer is on the
 * badge or on the card: the card touches the badge (a transparent bridge over the gap, styles.ts)
 * so the pointer moving from one to the other never crosses the page, and leaving one for the
 * other is seen in the event itself (`relatedTarget`) — no timer decides. Escape closes it
 * wherever focus is; it stays closed until the pointer or focus comes back.
 */
export function wireCard(button: HTMLElement, root: ShadowRoot, make: () => HTMLElement): CardControl {
  const doc = button.ownerDocument;
  const view = doc.defaultView ?? window;
  let card: HTMLElement | undefined;
  let hovered = false;
  let focused = false;
  // Closed by Escape or a click: it stays closed while pointer and focus stay (focus coming back
  // to the clicked badge, e.g. when the browser's sidebar closes, must not reopen it over the page).
  let dismissed = false;
  const dismiss = () => {
    dismissed = true;
    hide();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') dismiss();
  };
  const place = (c: HTMLElement) => {
    const b = button.getBoundingClientRect();
    const r = c.getBoundingClientRect();
    const gap = 4;
    const above = b.bottom + gap + r.height > view.innerHeight && b.top - gap - r.height >= 0;
    c.classList.toggle('above', above);
    c.style.top = `${above ? b.top - gap - r.height : b.bottom + gap}px`;
    c.style.left = `${Math.max(0, Math.min(b.left, view.innerWidth - r.width - 4))}px`;
  };
  const show = () => {
    if (dismissed) return;
    if (!card) {
      card = make();
      card.addEventListener('mouseenter', () => (hovered = true));
      card.addEventListener('mouseleave', (e) => leave(e));
    }
    if (!card.isConnected) root.append(card);
    if (hasPopover) {
      if (!card.matches(':popover-open')) card.showPopover();
    } else card.hidden = false;
    place(card);
    view.addEventListener('keydown', onKey, true);
  };
  const hide = () => {
    view.removeEventListener('keydown', onKey, true);
    if (!card) return;
    if (hasPopover) {
      if (card.matches(':popover-open')) card.hidePopover();
    } else card.hidden = true;
  };
  // Leaving the badge for its card, or the card for its badge, keeps it open.
  const leave = (e: MouseEvent) => {
    const to = e.relatedTarget as Node | null;
    if (to && (to === button || button.contains(to) || (card && (to === card || card.contains(to))))) return;
    hovered = false;
    if (!focused) {
      dismissed = false;
      hide();
    }
  };
  button.addEventListener('mouseenter', () => {
    hovered = true;
    if (!focused) dismissed = false;
    show();
  });
  button.addEventListener('mouseleave', leave);
  const control: CardControl = {
    dismiss,
    focus: () => {
      focused = true;
      show();
    },
    blur: () => {
      focused = false;
      if (!hovered) {
        dismissed = false;
        hide();
      }
    },
  };
  button.addEventListener('focus', control.focus);
  button.addEventListener('blur', control.blur);
  return control;
}

/** Focus and blur for the card from elsewhere: a focus stand-in (badge.ts `proxy`) shows it too. */
export interface CardControl {
  focus(): void;
  blur(): void;
  /** Closes it now: the badge was clicked (the user acted; the card must not cover the next badge). */
  dismiss(): void;
}
