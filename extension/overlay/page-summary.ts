import type { Resolution } from '../../core/match/matcher.ts';
import type { SubjectSummary } from '../../core/model/summary.ts';
import type { OpenTarget } from './badge.ts';

/**
 * The optional one-line summary of a portal page (预警提醒 on the page): "本页 200 人 · 3 人预警 ·
 * 1 人影响期内", the counts opening the list of those names, each of which brings its badge into
 * view and opens the dossier. Like the badges, it lives in a closed shadow root on a bare host with
 * no attributes, so the page's scripts can read none of it; it is built only when the user switched
 * it on (options page) and the page has at least one badged cadre.
 *
 * The hook into the scanner is narrow (the lead re-wires it after the scanner is split): the
 * scanner reports each badge it makes with what it resolved to (`noteBadge`), and calls `update`
 * when a scan has settled; the summary reads only those, never the page's text.
 */

export interface PageSummaryText {
  line(people: number, warned: number, inPeriod: number): { people: string; warned: string; inPeriod: string };
  label: string;
  close: string;
  show(name: string): string;
  nameInUnit(name: string, unit: string): string;
}

export interface PageSummary {
  /** Scanner hook: a badge was made for `resolution` at `host`. */
  noteBadge(host: HTMLElement, resolution: Resolution): void;
  /** Scanner hook: a scan settled; recount what is on the page and redraw. */
  update(): void;
  setEnabled(on: boolean): void;
  stop(): void;
}

interface Person {
  subject: SubjectSummary;
  hosts: HTMLElement[];
}

/** The cadres badged on the page (unambiguous names, badges still in the document), in page order of first badge. */
export function peopleOnPage(badges: ReadonlyMap<HTMLElement, Resolution>): Person[] {
  const out = new Map<string, Person>();
  for (const [host, r] of badges) {
    if (!host.isConnected || r.kind !== 'subject' || r.subject.type !== 'cadre') continue;
    const p = out.get(r.subject.id);
    if (p) p.hosts.push(host);
    else out.set(r.subject.id, { subject: r.subject, hosts: [host] });
  }
  return [...out.values()];
}

const CSS = `
:host { all: initial; }
.bar { all: initial; position: fixed; right: 12px; bottom: 12px; z-index: 2147483646;
  max-width: min(560px, calc(100vw - 24px)); box-sizing: border-box;
  background: #ffffff; color: #202124; border: 1px solid #5f6368; border-radius: 8px;
  box-shadow: 0 2px 8px rgba(0,0,0,.25); padding: 6px 10px;
  font: 13px/20px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
.line { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
button { all: initial; cursor: pointer; font: inherit; color: #174ea6; text-decoration: underline; }
button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
.close { margin-left: auto; color: #3c4043; text-decoration: none; padding: 0 4px; }
ul { list-style: none; margin: 6px 0 0; padding: 0; max-height: 40vh; overflow: auto; }
li { margin: 2px 0; }
`;

export function createPageSummary(
  doc: Document,
  opts: { text: PageSummaryText; onOpen(target: OpenTarget): void },
): PageSummary {
  const badges = new Map<HTMLElement, Resolution>();
  let enabled = false;
  let dismissed = false;
  let host: HTMLElement | undefined;
  let root: ShadowRoot | undefined;
  let open: 'warned' | 'inPeriod' | undefined;

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  const remove = () => {
    host?.remove();
    host = undefined;
    root = undefined;
  };

  const render = () => {
    const people = peopleOnPage(badges);
    if (!enabled || dismissed || people.length === 0) return remove();
    if (!host || !host.isConnected) {
      host = doc.createElement('span');
      host.style.setProperty('all', 'initial', 'important');
      root = host.attachShadow({ mode: 'closed' });
      root.append(el('style', undefined, CSS));
      (doc.body ?? doc.documentElement).append(host);
    }
    const warned = people.filter((p) => p.subject.warnings.length > 0);
    const inPeriod = people.filter((p) => p.subject.periods.length > 0);
    const words = opts.text.line(people.length, warned.length, inPeriod.length);
    const bar = el('div', 'bar');
    bar.setAttribute('role', 'region');
    bar.setAttribute('aria-label', opts.text.label);
    const line = el('div', 'line');
    line.append(el('span', undefined, words.people));
    const toggle = (which: 'warned' | 'inPeriod', text: string, n: number) => {
      line.append(el('span', undefined, '·'));
      if (n === 0) return line.append(el('span', undefined, text));
      const b = el('button', undefined, text);
      b.setAttribute('aria-expanded', String(open === which));
      b.addEventListener('click', () => {
        open = open === which ? undefined : which;
        render();
      });
      line.append(b);
    };
    toggle('warned', words.warned, warned.length);
    toggle('inPeriod', words.inPeriod, inPeriod.length);
    const close = el('button', 'close', '×');
    close.setAttribute('aria-label', opts.text.close);
    close.addEventListener('click', () => {
      dismissed = true;
      remove();
    });
    line.append(close);
    bar.append(line);
    const list = open === 'warned' ? warned : open === 'inPeriod' ? inPeriod : [];
    if (list.length) {
      const ul = el('ul');
      for (const p of list) {
        const b = el(
          'button',
          undefined,
          p.subject.unitName ? opts.text.nameInUnit(p.subject.name, p.subject.unitName) : p.subject.name,
        );
        b.setAttribute('aria-label', opts.text.show(p.subject.name));
        b.addEventListener('click', () => {
          p.hosts[0]?.scrollIntoView({ block: 'center' });
          opts.onOpen({ type: 'cadre', id: p.subject.id });
        });
        const li = el('li');
        li.append(b);
        ul.append(li);
      }
      bar.append(ul);
    }
    root!.replaceChildren(root!.firstChild!, bar);
  };

  return {
    noteBadge(h, resolution) {
      badges.set(h, resolution);
    },
    update() {
      for (const h of [...badges.keys()]) if (!h.isConnected) badges.delete(h);
      render();
    },
    setEnabled(on) {
      enabled = on;
      render();
    },
    stop() {
      badges.clear();
      remove();
    },
  };
}
