import { describe, expect, it } from 'vitest';
import type { Resolution } from '../../core/match/matcher.ts';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { peopleOnPage } from './page-summary.ts';
import { subjectSummary } from '../../core/match/test/fixtures.ts';

const subject = (id: string, more: Partial<SubjectSummary> = {}) => subjectSummary(id, `人${id}`, more);
const host = (isConnected = true) => ({ isConnected }) as HTMLElement;
const named = (s: SubjectSummary): Resolution => ({ kind: 'subject', subject: s, by: 'unique' });

describe('who the page summary counts', () => {
  it('each cadre once, in the order first badged, with every badge of theirs; not ambiguous names, units, or badges gone from the page', () => {
    const a = subject('C1', { warnings: ['预警'] });
    const b = subject('C2', { periods: ['影响期'] });
    const first = host();
    const again = host();
    const badges = new Map<HTMLElement, Resolution>([
      [first, named(a)],
      [host(), named(b)],
      [again, named(a)],
      [host(), { kind: 'ambiguous', candidates: [a, b] }],
      [host(), named(subject('U01', { type: 'unit' }))],
      [host(false), named(subject('C3'))],
    ]);
    const people = peopleOnPage(badges);
    expect(people.map((p) => p.subject.id)).toEqual(['C1', 'C2']);
    expect(people[0]!.hosts).toEqual([first, again]);
  });
});
