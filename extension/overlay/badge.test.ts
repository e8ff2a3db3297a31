import { describe, expect, it } from 'vitest';
import en from '../public/_locales/en/messages.json';
import zh from '../public/_locales/zh_CN/messages.json';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { accessibleName, loudness, markGlyph, pillSegments, segmentKey, signatureOf } from './badge.ts';
import { cardLines, describe as describeCard } from './card.ts';
import { overlayTextFrom } from './text-table.ts';
import { subjectSummary } from '../../core/match/test/fixtures.ts';

const base = subjectSummary('C001', '张伟', { post: '局长' });
const s = (over: Partial<SubjectSummary>) => ({
  kind: 'subject' as const,
  subject: { ...base, ...over },
  by: 'unique' as const,
});

describe('the badge says who and what, in words (colour is never the only signal)', () => {
  const zhText = overlayTextFrom(zh);
  const enText = overlayTextFrom(en);
  it.each([
    [
      s({ dots: { red: 0, blue: 0, yellow: 0, black: 1 }, grade: 'D', warnings: ['x'] }),
      '张伟 · 黑点1 · 等次D · 预警',
      'Zhang · black 1 · grade D · warning',
    ],
    [
      s({ dots: { red: 2, blue: 1, yellow: 0, black: 0 }, grade: 'A' }),
      '张伟 · 红点2 · 蓝点1 · 等次A',
      'Zhang · red 2 · blue 1 · grade A',
    ],
    [s({ flags: 2, grade: '' }), '张伟 · 负面清单2项', 'Zhang · negative list: 2'],
    [s({ invalid: 1 }), '张伟 · 等次B · 1 项数据无效', 'Zhang · grade B · 1 invalid entries'],
    [{ kind: 'ambiguous' as const, candidates: [base, base] }, '张伟 · 2 人同名', 'Zhang · 2 possible'],
  ])('%#', (r, zhWant, enWant) => {
    expect(accessibleName(r, '张伟', zhText)).toBe(zhWant);
    expect(accessibleName(r, 'Zhang', enText)).toBe(enWant);
  });

  it('a badge is re-made when anything it shows changes, and kept otherwise', () => {
    expect(signatureOf(s({}), '')).toBe(signatureOf(s({}), ''));
    expect(signatureOf(s({}), '')).not.toBe(signatureOf(s({ grade: 'C' }), ''));
    expect(signatureOf(s({}), '')).not.toBe(signatureOf(s({ periods: ['x'] }), ''));
    expect(signatureOf(s({}), '')).not.toBe(signatureOf(s({ id: 'C002' }), ''));
    expect(signatureOf(s({}), '')).not.toBe(signatureOf(s({}), '张伟'));
  });
});

describe("the compact mark and the pill's shape", () => {
  it("the mark shows a black or yellow dot's shape (black first), else the grade letter", () => {
    expect(markGlyph(s({ dots: { red: 3, blue: 1, yellow: 1, black: 1 } }))).toEqual({ text: '■', colour: 'black' });
    expect(markGlyph(s({ dots: { red: 3, blue: 1, yellow: 1, black: 0 } }))).toEqual({ text: '▲', colour: 'yellow' });
    // Red and blue dots are ordinary: the mark stays quiet.
    expect(markGlyph(s({ dots: { red: 1, blue: 1, yellow: 0, black: 0 } }))).toEqual({ text: 'B', colour: null });
    expect(markGlyph(s({ grade: 'C' }))).toEqual({ text: 'C', colour: null });
    expect(markGlyph({ kind: 'ambiguous', candidates: [base, base] })).toEqual({ text: '?', colour: null });
  });

  it('a pill is sized from its parts: counts with as many digits share a width key', () => {
    const keys = (r: Parameters<typeof pillSegments>[0], label = '') => pillSegments(r, label).map(segmentKey);
    const a = s({ dots: { red: 2, blue: 0, yellow: 1, black: 0 }, grade: 'A' });
    expect(keys(a)).toEqual(['dot red:●0', 'dot yellow:▲0', 'grade:A']);
    // Quiet: only the grade (red and blue dots are in the name and the card).
    expect(keys(s({ dots: { red: 2, blue: 1, yellow: 0, black: 0 }, grade: 'A' }))).toEqual(['grade:A']);
    expect(keys(s({ dots: { red: 7, blue: 0, yellow: 3, black: 0 }, grade: 'A', name: '李娜', id: 'C009' }))).toEqual(
      keys(a),
    );
    expect(keys(s({ dots: { red: 12, blue: 0, yellow: 1, black: 0 }, grade: 'A' }))[0]).toBe('dot red:●00');
    expect(keys(s({ flags: 3, warnings: ['x'], invalid: 1, grade: '' }))).toEqual(['warn:!', 'flag:⚑0', 'invalid:!']);
    expect(keys({ kind: 'ambiguous', candidates: [base, base] })).toEqual(['ambiguous:?0']);
    expect(keys(a, '张伟')[0]).toBe('name:张伟');
  });
});

describe('what a badge says: loud when something matters, quiet otherwise', () => {
  const zhText = overlayTextFrom(zh);
  it.each([
    [s({}), 'quiet'],
    [s({ dots: { red: 2, blue: 1, yellow: 0, black: 0 } }), 'quiet'],
    [s({ dots: { red: 0, blue: 0, yellow: 1, black: 0 } }), 'loud'],
    [s({ dots: { red: 0, blue: 0, yellow: 0, black: 1 } }), 'loud'],
    [s({ warnings: ['x'] }), 'loud'],
    [s({ flags: 1 }), 'loud'],
    [s({ periods: ['x'] }), 'loud'],
    [s({ invalid: 1 }), 'loud'],
    [{ kind: 'ambiguous' as const, candidates: [base, base] }, 'plain'],
  ])('%#', (r, want) => expect(loudness(r)).toBe(want));

  it("the card (and the badge's description) says a black dot's period is over", () => {
    const r = s({
      dots: { red: 0, blue: 0, yellow: 0, black: 1 },
      gradeReason: '等次B：无影响期内的处分',
      endedPeriods: ['党内严重警告 2020年7月21日，影响期已满'],
    });
    expect(cardLines(r, zhText).map((l) => l.text)).toContain('党内严重警告 2020年7月21日，影响期已满');
    expect(describeCard(r, zhText)).toContain('影响期已满');
    expect(describeCard(r, zhText)).toContain('黑点1');
  });
});
