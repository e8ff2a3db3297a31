import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, isIsoDate } from './dates.ts';

/** Every stored date is checked on every read, so these are arithmetic; `Date` is the reference. */

const byDate = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

describe('calendar dates', () => {
  it('knows the length of every month, leap years included (1900 no, 2000 yes)', () => {
    expect([1900, 2000, 2023, 2024].map((y) => daysInMonth(y, 2))).toEqual([28, 29, 28, 29]);
    // Years from 100: below that, Date.UTC reads a year as 19xx.
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        (y, m) => daysInMonth(y, m) === byDate(y, m),
      ),
    );
  });

  it('accepts exactly the YYYY-MM-DD dates that exist', () => {
    for (const s of ['2018-06-15', '2024-02-29', '2000-02-29', '2019-12-31', '0100-01-01'])
      expect(isIsoDate(s), s).toBe(true);
    for (const s of [
      '2023-02-29',
      '1900-02-29',
      '2018-04-31',
      '2018-13-01',
      '2018-00-10',
      '2018-01-00',
      '2018-6-15',
      '2018/06/15',
      '2018-06-15T00:00',
      ' 2018-06-15',
      '２０１８-06-15',
      '',
    ]) {
      expect(isIsoDate(s), s).toBe(false);
    }
    const day = fc.record({
      y: fc.integer({ min: 100, max: 9999 }),
      m: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
    });
    fc.assert(
      fc.property(day, ({ y, m, d }) => {
        const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        return isIsoDate(s) === (m >= 1 && m <= 12 && d >= 1 && d <= byDate(y, m));
      }),
    );
  });
});
