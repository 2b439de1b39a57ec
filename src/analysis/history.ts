/**
 * Weekly history: calendar weeks, each ending on its last session (a Thursday before Good Friday, a
 * Friday otherwise), and the look-backs a strategist quotes ("the worst week since October 2008").
 */
import { weekStartDay } from '../market/calendar.js';
import type { IsoDate, Point } from '../market/types.js';

export interface WeeklyChange {
  /** The week's last session. */
  date: IsoDate;
  change: number;
}

/** Indices of the last close of each calendar week, oldest first, up to and including `lastIndex`. */
export function weekEndIndices(points: readonly Point[], lastIndex: number): number[] {
  const out: number[] = [];
  let previousWeek = Number.NaN;
  for (let i = 0; i <= lastIndex; i++) {
    const week = weekStartDay(points[i]!.date);
    if (week !== previousWeek && i > 0) out.push(i - 1);
    previousWeek = week;
  }
  if (lastIndex >= 0) out.push(lastIndex);
  return out;
}

/**
 * Week-on-week changes, this week first: each week's last close against the previous week's last
 * close. `weeks` bounds how far back (Infinity: the whole series).
 */
export function weeklyChanges(points: readonly Point[], lastIndex: number, change: (base: number, last: number) => number, weeks: number): WeeklyChange[] {
  const ends = weekEndIndices(points, lastIndex);
  const out: WeeklyChange[] = [];
  for (let k = ends.length - 1; k > 0 && out.length <= weeks; k--) {
    out.push({ date: points[ends[k]!]!.date, change: change(points[ends[k - 1]!]!.close, points[ends[k]!]!.close) });
  }
  return out;
}

export interface Lookback {
  /** The most recent earlier entry at least as extreme in the same direction, if any. */
  since?: IsoDate;
  /** How many entries back that was (the whole history's length when none was). */
  span: number;
}

/**
 * Directional look-back over values listed this one first: for a positive value, the last earlier
 * value at or above it; for a negative one, at or below it. "Not since D" is then true by construction.
 */
export function lookback(values: ReadonlyArray<{ date: IsoDate; value: number }>): Lookback {
  const now = values[0];
  if (!now) return { span: 0 };
  const up = now.value >= 0;
  for (let k = 1; k < values.length; k++) {
    const v = values[k]!.value;
    if (up ? v >= now.value : v <= now.value) return { since: values[k]!.date, span: k };
  }
  return { span: values.length - 1 };
}
