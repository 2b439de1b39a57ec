import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bondSessionOnOrBefore,
  holidays,
  isBondSession,
  isSession,
  isoWeekId,
  lastCompletedSession,
  lastCompletedWeekEnd,
  lastSessionOfWeek,
  sessionOnOrBefore,
  sessionsBetween,
  weekStartDay,
  windowAnchor,
} from '../../src/market/calendar.js';
import { SHARED_DATA } from '../helpers/context.js';
import { readReferenceCsv } from '../helpers/reference-data.js';

describe('NYSE calendar', () => {
  it('knows the regular holidays of a year', () => {
    expect([...holidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
  });

  it('does not observe a Saturday New Year on the Friday before, and moves Sunday holidays to Monday', () => {
    expect(isSession('2021-12-31')).toBe(true); // 2022-01-01 was a Saturday
    expect(isSession('2023-01-02')).toBe(false); // 2023-01-01 was a Sunday
    expect(isSession('2021-07-05')).toBe(false);
  });

  it('knows the special closures', () => {
    for (const day of ['2001-09-11', '2001-09-14', '2004-06-11', '2007-01-02', '2012-10-29', '2012-10-30', '2018-12-05', '2025-01-09']) {
      expect(isSession(day), day).toBe(false);
    }
  });

  it('observes Juneteenth only from 2022', () => {
    expect(isSession('2021-06-18')).toBe(true);
    expect(isSession('2022-06-20')).toBe(false);
  });

  it('finds the last session on or before a date and the last completed session at an instant', () => {
    expect(sessionOnOrBefore('2026-11-22')).toBe('2026-11-20');
    expect(sessionOnOrBefore('2026-11-27')).toBe('2026-11-27'); // the day after Thanksgiving trades
    expect(lastCompletedSession(new Date('2026-11-20T20:59:00Z'))).toBe('2026-11-19'); // 15:59 New York
    expect(lastCompletedSession(new Date('2026-11-20T21:00:00Z'))).toBe('2026-11-20'); // 16:00
    expect(lastCompletedSession(new Date('2026-11-27T03:00:00Z'))).toBe('2026-11-25'); // Thanksgiving night
  });

  it('anchors windows as the README states', () => {
    // A week is a calendar week: its base is the last close before the Monday, whatever day it ends on.
    expect(windowAnchor('2022-11-18', '1W')).toBe('2022-11-13');
    expect(sessionOnOrBefore(windowAnchor('2026-04-02', '1W'))).toBe('2026-03-27'); // Good Friday week ends Thursday
    expect(windowAnchor('2022-11-18', '1M')).toBe('2022-10-18');
    expect(windowAnchor('2022-11-18', '3M')).toBe('2022-08-18');
    expect(windowAnchor('2022-11-18', 'YTD')).toBe('2021-12-31');
    expect(windowAnchor('2024-03-31', '1M')).toBe('2024-02-29');
    expect(windowAnchor('2024-02-29', '1Y')).toBe('2023-02-28');
  });

  it('names editions by ISO week', () => {
    expect(isoWeekId('2026-11-20')).toBe('2026-W47');
    expect(isoWeekId('2021-01-01')).toBe('2020-W53');
  });

  it('has exactly the sessions of 23 years of real data', () => {
    const dates = readReferenceCsv('GSPC.csv').map((r) => r.date);
    expect(sessionsBetween(dates[0]!, dates.at(-1)!)).toEqual(dates);
  });

  it('disagrees with the bundled holiday list exactly where that list is wrong', () => {
    const listed = new Set(
      readFileSync(join(SHARED_DATA, 'us_market_holidays.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((r) => r.split(',')[0]!)
        .filter((d) => d >= '2000-01-01' && d <= '2022-11-18'),
    );
    const ours = new Set(
      [...Array(23).keys()].flatMap((i) => [...holidays(2000 + i)]).filter((d) => d <= '2022-11-18' && !['0', '6'].includes(String(new Date(`${d}T00:00:00Z`).getUTCDay()))),
    );
    // The list marks some Saturday New Years' Eves closed; the data shows they traded, as we say.
    const traded = new Set(readReferenceCsv('GSPC.csv').map((r) => r.date));
    const wronglyListed = [...listed].filter((d) => isSession(d));
    expect(wronglyListed).toContain('2021-12-31');
    expect(wronglyListed.every((d) => traded.has(d))).toBe(true);
    expect([...ours].filter((d) => !listed.has(d)).sort()).toEqual(expect.arrayContaining(['2012-10-29', '2012-10-30', '2018-12-05']));
  });

  it('closes the bond market, not the stock market, on Columbus Day and Veterans Day', () => {
    for (const day of ['2022-10-10', '2022-11-11', '2018-11-12', '2026-10-12', '2026-11-11']) {
      expect(isSession(day), day).toBe(true);
      expect(isBondSession(day), day).toBe(false);
    }
    expect(isBondSession('2023-11-10')).toBe(true); // Veterans Day 2023 fell on a Saturday: nothing closed
    expect(bondSessionOnOrBefore('2022-11-11')).toBe('2022-11-10');
    expect(bondSessionOnOrBefore('2022-11-14')).toBe('2022-11-14');
  });

  it('ends each week on its last session and never makes a Tuesday the end of the weekly edition', () => {
    expect(lastSessionOfWeek('2026-11-24')).toBe('2026-11-27');
    expect(lastSessionOfWeek('2026-03-30')).toBe('2026-04-02'); // Good Friday
    expect(lastSessionOfWeek('2026-12-28')).toBe('2026-12-31'); // New Year's Day 2027 is a Friday
    expect(lastCompletedWeekEnd(new Date('2026-11-24T22:00:00Z'))).toBe('2026-11-20'); // Tuesday evening
    expect(lastCompletedWeekEnd(new Date('2026-11-27T22:00:00Z'))).toBe('2026-11-27'); // Friday after the close
    expect(lastCompletedWeekEnd(new Date('2026-11-27T15:00:00Z'))).toBe('2026-11-20'); // Friday before the close
    expect(lastCompletedWeekEnd(new Date('2026-04-03T15:00:00Z'))).toBe('2026-04-02'); // Good Friday
  });

  it('groups dates into Monday-to-Sunday weeks before and after 1970', () => {
    expect(weekStartDay('1932-10-10')).toBe(weekStartDay('1932-10-15'));
    expect(weekStartDay('1932-10-09')).not.toBe(weekStartDay('1932-10-10'));
    expect(weekStartDay('1970-01-01')).toBe(weekStartDay('1969-12-29'));
    expect(weekStartDay('2026-11-23')).toBe(weekStartDay('2026-11-29'));
  });
});
