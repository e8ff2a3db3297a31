import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { userState } from '../doc/user-doc.ts';
import { sync } from '../doc/test/fixtures.ts';
import type { Alert } from '../model/alert.ts';
import { currentAlerts, annualAppraisal } from './alerts.ts';
import { announce, claimWinner, unseen, STALE_MS } from './alert-claims.ts';
import { AS_OF, fixtureDocs, fixtureRows, rec } from './test/fixture.ts';

const keys = (alerts: Alert[]) => alerts.map((a) => a.key);

describe('what holds now', () => {
  it('warnings, an overdue clue, an overdue rectification of the unit, overdue card duties', () => {
    const rows = fixtureRows();
    const alerts = currentAlerts(rows.cadres, rows.units, { asOf: AS_OF, reviews: [] });
    expect(keys(alerts)).toEqual([
      'card-overdue:K1:1',
      'clue-overdue:L1:2025-06-01',
      'rectification-overdue:R7:2025-04-15',
      'warning:C002:repeated-yellow:2024-12-01/R3',
      'warning:C004:open-clue:L1',
    ]);
    const clue = alerts.find((a) => a.key.startsWith('clue-overdue'))!;
    expect(clue).toMatchObject({
      kind: 'overdue',
      subject: { type: 'cadre', id: 'C004' },
      name: '李明',
      unitCode: 'B02',
      since: '2025-06-02',
    });
    expect(alerts.find((a) => a.key.startsWith('rectification'))).toMatchObject({
      subject: { type: 'unit', id: 'A01' },
      name: '市财政局',
    });
  });

  it('a third yellow dot in the same window is the same warning going on, not news', () => {
    const docs = fixtureDocs();
    const before = keys(currentAlerts(fixtureRows(AS_OF, docs).cadres, [], { asOf: AS_OF, reviews: [] }));
    docs.get('A01')!.records.put(rec('R9', { type: 'cadre', id: 'C002' }, 'yellow', 'admonishment', '2025-06-01'));
    const after = keys(currentAlerts(fixtureRows(AS_OF, docs).cadres, [], { asOf: AS_OF, reviews: [] }));
    expect(after).toEqual(before);
  });

  it('the quarter’s pending duty becomes overdue the day after the quarter ends', () => {
    const rows = fixtureRows('2025-07-01');
    expect(
      keys(currentAlerts(rows.cadres, [], { asOf: '2025-07-01', reviews: [] })).filter((k) =>
        k.startsWith('card-overdue'),
      ),
    ).toEqual(['card-overdue:K1:1', 'card-overdue:K2:0']);
  });

  it('an influence period about to end before a known review; none when the review comes first', () => {
    // 张伟's 党内警告 of 2025-01-10 runs through 2026-01-09.
    const rows = fixtureRows('2025-12-20');
    const at = (reviews: { date: string; label: string }[]) =>
      currentAlerts(rows.cadres, [], { asOf: '2025-12-20', reviews }).filter((a) => a.kind === 'period-ending');
    expect(at([annualAppraisal('2025-12-20', '年度考核')])).toEqual([]);
    const found = at([{ date: '2026-03-01', label: '提拔考察' }]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      key: 'period-ending:C001:R1:2026-01-09',
      detail: { what: 'period-ending', until: '2026-01-09', review: { date: '2026-03-01' } },
    });
    // Too far ahead: not yet.
    expect(
      currentAlerts(fixtureRows('2025-06-30').cadres, [], {
        asOf: '2025-06-30',
        reviews: [{ date: '2026-03-01', label: 'x' }],
      }).filter((a) => a.kind === 'period-ending'),
    ).toEqual([]);
  });
});

/** Two devices of one user, each with its own copy of the user document, synced by hand. */
function devices() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  let clock = Date.parse('2025-06-30T08:00:00.000Z');
  const now = () => new Date(clock);
  const tick = (ms: number) => (clock += ms);
  return { a: userState(a), b: userState(b), sync: () => sync(a, b), now, tick };
}

const alert = (key: string): Alert => ({
  key,
  kind: 'warning',
  subject: { type: 'cadre', id: 'C1' },
  unitCode: 'A01',
  name: '张伟',
  since: '2025-06-30',
  detail: { what: 'warning', trigger: 'open-clue', refs: ['L1'] },
});

describe('telling a user once, whichever device sees it first', () => {
  it('the first evaluation is a baseline: what already holds is recorded, not announced', async () => {
    const d = devices();
    const deps = { state: d.a, device: 'A', now: d.now, confirmed: async () => d.sync(), wait: async () => undefined };
    expect(await announce([alert('k1'), alert('k2')], deps)).toEqual([]);
    expect(d.a.alerts().records.map((r) => [r.key, r.baseline])).toEqual([
      ['k1', true],
      ['k2', true],
    ]);
    expect(unseen(d.a.alerts().records, undefined)).toEqual([]);
    // The second device shares the baseline: nothing old is news there either.
    d.sync();
    expect(await announce([alert('k1'), alert('k2')], { ...deps, state: d.b, device: 'B' })).toEqual([]);
  });

  it('one device announces a new alert; the other, synced, does not', async () => {
    const d = devices();
    const depsA = { state: d.a, device: 'A', now: d.now, confirmed: async () => d.sync(), wait: async () => undefined };
    const depsB = { state: d.b, device: 'B', now: d.now, confirmed: async () => d.sync(), wait: async () => undefined };
    await announce([], depsA);
    d.sync();
    expect((await announce([alert('k1')], depsA)).map((r) => r.key)).toEqual(['k1']);
    d.sync();
    expect(await announce([alert('k1')], depsB)).toEqual([]);
    expect(unseen(d.b.alerts().records, undefined).map((r) => r.key)).toEqual(['k1']);
    d.b.markSeen(d.now().toISOString());
    d.sync();
    expect(unseen(d.a.alerts().records, d.a.lastSeenAt())).toEqual([]);
  });

  it('two devices that claim at once: the earliest claim wins on both, so exactly one announces', async () => {
    const d = devices();
    const base = { now: d.now, wait: async () => undefined };
    await announce([], { ...base, state: d.a, device: 'A', confirmed: async () => d.sync() });
    d.sync();
    // Neither sees the other's claim until both have claimed (the sync happens at confirmation).
    let release!: () => void;
    const bothClaimed = new Promise<void>((r) => (release = r));
    let waiting = 0;
    const confirmed = async () => {
      if (++waiting === 2) {
        d.sync();
        release();
      }
      await bothClaimed;
    };
    const pa = announce([alert('k1')], { ...base, state: d.a, device: 'A', confirmed });
    d.tick(5);
    const pb = announce([alert('k1')], { ...base, state: d.b, device: 'B', confirmed });
    const [ra, rb] = await Promise.all([pa, pb]);
    expect([ra.length, rb.length]).toEqual([1, 0]);
  });

  it('a claim by a device that went away does not hold the alert back for ever', () => {
    const now = new Date('2025-06-30T08:00:00.000Z');
    const old = new Date(now.getTime() - STALE_MS - 1).toISOString();
    expect(
      claimWinner(
        [
          { device: 'A', at: old },
          { device: 'B', at: now.toISOString() },
        ],
        now,
      )?.device,
    ).toBe('B');
    expect(
      claimWinner(
        [
          { device: 'B', at: now.toISOString() },
          { device: 'A', at: now.toISOString() },
        ],
        now,
      )?.device,
    ).toBe('A');
  });

  it('seen is monotonic, and a malformed record is counted, not shown', () => {
    const doc = new Y.Doc();
    const s = userState(doc);
    s.markSeen('2025-06-30T10:00:00.000Z');
    s.markSeen('2025-06-30T09:00:00.000Z');
    expect(s.lastSeenAt()).toBe('2025-06-30T10:00:00.000Z');
    doc.getMap('alerts').set('bad', '{"key":"bad","kind":"nonsense"}');
    expect(s.alerts()).toEqual({ records: [], invalid: 1 });
  });
});
