// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import zh from '../public/_locales/zh_CN/messages.json';
import type { Resolution } from '../../core/match/matcher.ts';
import { subjectSummary } from '../../core/match/test/fixtures.ts';
import { createBadge, type Badge } from './badge.ts';
import { BadgeBook } from './book.ts';
import { overlayTextFrom } from './text-table.ts';

const subject = subjectSummary('C003', '王芳', { post: '' });
const r: Resolution = { kind: 'subject', subject, by: 'unique' };
const text = overlayTextFrom(zh);

let book: BadgeBook;
let stats: { inline: number };
const badge = (): Badge => {
  const b = createBadge(document, r, { name: '王芳', labelled: false, text, onOpen: () => undefined });
  book.ours.add(b.host);
  return b;
};
const textIn = (id: string) => document.getElementById(id)!.firstChild as Text;

beforeEach(() => {
  document.body.replaceChildren();
  stats = { inline: 0 };
  book = new BadgeBook(document, () => undefined, stats);
});

describe('badges in the flow', () => {
  it('go right after their text node, in order, without touching the text', () => {
    document.body.innerHTML = '<p id="p">王芳</p>';
    const t = textIn('p');
    const [a, b] = [badge(), badge()];
    book.commitInline([{ t, data: '王芳', badges: [a, b] }]);
    expect([...document.getElementById('p')!.childNodes]).toEqual([t, a.host, b.host]);
    expect(t.data).toBe('王芳');
    expect(book.badgeCount).toBe(2);
    expect(book.isBadged(t)).toBe(true);
    expect(stats.inline).toBe(2);
  });

  it('go after the page’s link around the name, so the link keeps its own name', () => {
    document.body.innerHTML = '<p><a href="#x" id="a">王芳</a>。</p>';
    const b = badge();
    book.commitInline([{ t: textIn('a'), data: '王芳', badges: [b] }]);
    expect(document.getElementById('a')!.nextSibling).toBe(b.host);
    expect(document.getElementById('a')!.childNodes.length).toBe(1);
  });

  it('are re-made in place: the old ones go, nothing is doubled', () => {
    document.body.innerHTML = '<p id="p">王芳</p>';
    const t = textIn('p');
    const old = badge();
    book.commitInline([{ t, data: '王芳', badges: [old] }]);
    const fresh = badge();
    book.commitInline([{ t, data: '王芳', badges: [fresh] }]);
    expect(old.host.isConnected).toBe(false);
    expect([...document.getElementById('p')!.childNodes]).toEqual([t, fresh.host]);
  });

  it('a plan of none removes the badges; text changed since it was planned is left to its mutation', () => {
    document.body.innerHTML = '<p id="p">王芳</p>';
    const t = textIn('p');
    const b = badge();
    book.commitInline([{ t, data: '王芳', badges: [b] }]);
    book.commitInline([{ t, data: '王芳', badges: null }]);
    expect(b.host.isConnected).toBe(false);
    expect(book.badgeCount).toBe(0);
    const late = badge();
    book.commitInline([{ t, data: '王芳芳', badges: [late] }]);
    expect(late.host.isConnected).toBe(false);
  });

  it('hide and show: every badge, including ones committed while hidden', () => {
    document.body.innerHTML = '<p id="p">王芳</p><p id="q">王芳</p>';
    const a = badge();
    book.commitInline([{ t: textIn('p'), data: '王芳', badges: [a] }]);
    book.setVisible(false);
    expect(a.host.style.getPropertyValue('display')).toBe('none');
    const b = badge();
    book.commitInline([{ t: textIn('q'), data: '王芳', badges: [b] }]);
    expect(b.host.style.getPropertyValue('display')).toBe('none');
    book.setVisible(true);
    expect([a, b].map((x) => x.host.style.getPropertyValue('display'))).toEqual(['inline-block', 'inline-block']);
  });

  it('a removed text node’s badges go with untrack; clear takes every badge off the page', () => {
    document.body.innerHTML = '<p id="p">王芳</p><p id="q">王芳</p>';
    const [a, b] = [badge(), badge()];
    book.commitInline([
      { t: textIn('p'), data: '王芳', badges: [a] },
      { t: textIn('q'), data: '王芳', badges: [b] },
    ]);
    book.untrack(textIn('p'));
    expect(a.host.isConnected).toBe(false);
    book.clear();
    expect(b.host.isConnected).toBe(false);
    expect(book.badgeCount).toBe(0);
  });
});
