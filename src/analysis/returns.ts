/**
 * Window returns counted on sessions. Convention: a window ending at the edition's as-of session
 * starts from its anchor (1W: the end of the previous calendar week; 1M, 3M, 1Y: the same day of the month, clamped;
 * YTD: December 31 of the previous year), and the base close is the last session on or before the
 * anchor. So the week ending Friday 2022-11-18 is measured from the close of Friday 2022-11-11.
 * Prices change in percent, yields in basis points, volatility indices in points.
 */
import type { Basket, Instrument, Window } from '../config/newsletter.js';
import { dayNumber, windowAnchor } from '../market/calendar.js';
import type { IsoDate, Point, Series } from '../market/types.js';
import { lookback, weeklyChanges, type Lookback, type WeeklyChange } from './history.js';
import { regimesAt, type Regime } from './regime.js';

import type { Unit } from '../shared/format.js';

export type { Unit } from '../shared/format.js';

export interface WindowChange {
  base: Point;
  change: number;
}

export interface Metrics {
  symbol: string;
  /** As the edition's date calls it (a basket by its earlier name before its own was in use). */
  name: string;
  /** The name in tables and charts, on the edition's date likewise. */
  shortName: string;
  kind: Instrument['kind'] | 'basket';
  group: string;
  unit: Unit;
  source: string;
  /** Absent for baskets, which have returns but no price. */
  last?: Point;
  windows: Partial<Record<Window, WindowChange | { base: null; change: number }>>;
  /** The first close the series holds. */
  historyFrom?: IsoDate;
  /** Sessions in the edition's week (4 in a week with a holiday). */
  sessions?: number;
  high52?: Point;
  low52?: Point;
  /** Percent below the 52-week high (0 at a high), prices only. */
  fromHigh52?: number;
  /** The week's close beyond every close of the 52 weeks before the week began, if it set one. */
  weekHigh?: Extreme;
  weekLow?: Extreme;
  /** The series holds the whole history: "record" and "on record" claims are allowed. */
  fullHistory: boolean;
  /** Calendar-week changes, this week first, a year of them. */
  weekly: WeeklyChange[];
  /** This week's change against every earlier week of the series: when was one as big, same direction. */
  weekRank?: Rank;
  /** The instrument's usual weekly move: RMS of the past year's weekly changes (this week excluded). */
  usualWeekly?: number;
  /** The week's largest one-session move (in the instrument's unit), with its date, ranked against every earlier session. */
  biggestDay?: { date: IsoDate; change: number; rank: Rank };
  /** Bull, correction or bear market at this week's close and at last week's (prices with history only). */
  regime?: { now: Regime; weekAgo: Regime };
}

/**
 * A move ranked against every earlier move of the same length in the history served, same direction:
 * "its worst week since the week ending July 21, 1933", "its biggest one-day gain since October 28, 2008".
 */
export interface Rank extends Lookback {
  /** No earlier move as big in the history served, and the series holds the whole history: "on record". */
  onRecord: boolean;
  /** The first close the ranking searched: with neither `since` nor `onRecord`, "since at least" that date. */
  from: IsoDate;
}

/** A close beyond the past year's range, set on some day of the week. */
export interface Extreme {
  extreme: 'high' | 'low';
  /** The week's highest (lowest) close. */
  point: Point;
  /** Did the week end there, or slip back from it? */
  atClose: boolean;
  /** The last earlier close at least as extreme (absent: none in the series). */
  since?: Point;
  /** No earlier close as extreme, and the series holds the whole history. */
  allTime: boolean;
  /** The standing extreme when the week began: the most extreme close before it (what the week's first record beat). */
  previous: Point;
  /**
   * The week's closes beyond every earlier close, oldest first (the last is `point`): the week's records
   * when `allTime`. Empty when an earlier close was as extreme (`since` is set).
   */
  records: Point[];
  /** The close `point` topped: the week's record before it, or `previous` when it was the week's first. Absent when `records` is empty. */
  beaten?: Point;
  /** Whole years of closes before this week (what "the highest in at least N years" may claim). */
  yearsOfData: number;
}

export type { WeeklyChange } from './history.js';

const WEEKS_OF_HISTORY = 52;

/** Root mean square: the size of a usual move, whichever its direction. */
export function rms(values: readonly number[]): number | undefined {
  if (values.length < 8) return undefined;
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
}

export function unitOf(kind: Metrics['kind']): Unit {
  return kind === 'rate' ? 'bp' : kind === 'volatility' ? 'pt' : 'pct';
}

/**
 * The change from `base` to `last` in the instrument's unit. Yields and the VIX are quoted to a few
 * decimals (and Yahoo serves them as float32 noise: 4.916999816894531): their differences are cut to
 * 1e-4 of the level (0.01 bp), so 2.54 - 2.41 is 13 bp as 3.13 - 3.00 is, and a tie ranks as a tie
 * ("the biggest rise since") instead of by a float's last digit.
 */
export function changeBetween(unit: Unit, base: number, last: number): number {
  if (unit === 'pct') return (last / base - 1) * 100;
  if (unit === 'bp') return Math.round((last - base) * 1e6) / 1e4;
  return Math.round((last - base) * 1e4) / 1e4;
}

/** Index of the last point dated on or before `date`, or -1 (binary search: points are sorted). */
export function lastIndexOnOrBefore(points: readonly Point[], date: IsoDate): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.date <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

type SeriesInput = Pick<Series, 'points' | 'source'> & { fullHistory?: boolean };

/** The week's extreme close when it lies beyond the 52 weeks before the week; with its history. */
function weekExtreme(points: readonly Point[], weekBase: number, lastIndex: number, extreme: 'high' | 'low', fullHistory: boolean): Extreme | undefined {
  const beyond = extreme === 'high' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  let best = points[weekBase + 1]!;
  for (let i = weekBase + 2; i <= lastIndex; i++) if (beyond(points[i]!.close, best.close)) best = points[i]!;
  const yearAgo = windowAnchor(points[weekBase]!.date, '1Y');
  let since: Point | undefined;
  let previous: Point | undefined;
  let beatYear = true;
  for (let i = weekBase; i >= 0; i--) {
    const p = points[i]!;
    if (!since && !beyond(best.close, p.close)) {
      since = p;
      if (p.date > yearAgo) beatYear = false;
    }
    // Of equal closes the first set the record; the later ones only equalled it.
    if (!previous || !beyond(previous.close, p.close)) previous = p;
  }
  // Beyond "the past year" only when the series covers a year, or an older close shows how far back.
  if (!beatYear || !previous || (!since && points[0]!.date > yearAgo)) return undefined;
  const yearsOfData = Math.floor((dayNumber(points[weekBase + 1]!.date) - dayNumber(points[0]!.date)) / 365.25);
  const records = since ? [] : weekRecords(points, weekBase, lastIndex, previous, beyond);
  const found: Extreme = { extreme, point: best, atClose: best.date === points[lastIndex]!.date, since, allTime: !since && fullHistory, previous, records, yearsOfData };
  if (records.length > 0) found.beaten = records.at(-2) ?? previous;
  return found;
}

/** Each close of the week beyond every close before it (the week's own earlier records included), oldest first. */
function weekRecords(points: readonly Point[], weekBase: number, lastIndex: number, standing: Point, beyond: (a: number, b: number) => boolean): Point[] {
  const out: Point[] = [];
  let mark = standing.close;
  for (let i = weekBase + 1; i <= lastIndex; i++) {
    if (beyond(points[i]!.close, mark)) {
      out.push(points[i]!);
      mark = points[i]!.close;
    }
  }
  return out;
}

/** The session at `index` against every earlier session: the last one that moved as far the same way. */
function dayLookback(points: readonly Point[], index: number, change: (base: number, close: number) => number): Lookback {
  const now = change(points[index - 1]!.close, points[index]!.close);
  for (let i = index - 1; i >= 1; i--) {
    const day = change(points[i - 1]!.close, points[i]!.close);
    if (now >= 0 ? day >= now : day <= now) return { since: points[i]!.date, span: index - i };
  }
  return { span: index - 1 };
}

export function seriesMetrics(instrument: Instrument, series: SeriesInput, asOf: IsoDate, windows: readonly Window[]): Metrics {
  const unit = unitOf(instrument.kind);
  const { points } = series;
  const lastIndex = lastIndexOnOrBefore(points, asOf);
  if (lastIndex < 0) throw new Error(`${instrument.symbol} has no close on or before ${asOf}`);
  const last = points[lastIndex]!;
  const change = (base: number, close: number) => changeBetween(unit, base, close);
  const allWeeks = weeklyChanges(points, lastIndex, change, Number.POSITIVE_INFINITY);
  const weekly = allWeeks.slice(0, WEEKS_OF_HISTORY + 1);
  const result: Metrics = {
    symbol: instrument.symbol,
    name: instrument.name,
    shortName: instrument.shortName,
    kind: instrument.kind,
    group: instrument.group,
    unit,
    source: series.source,
    last,
    windows: {},
    fullHistory: series.fullHistory ?? false,
    historyFrom: points[0]!.date,
    weekly,
    usualWeekly: rms(weekly.slice(1).map((w) => w.change)),
  };
  const weekBase = lastIndexOnOrBefore(points, windowAnchor(asOf, '1W'));
  if (weekBase >= 0 && weekBase < lastIndex && weekly[0]?.date === last.date) {
    result.sessions = lastIndex - weekBase;
    const ranked = (found: Lookback): Rank => ({ ...found, onRecord: !found.since && result.fullHistory, from: points[0]!.date });
    result.weekRank = ranked(lookback(allWeeks.map((w) => ({ date: w.date, value: w.change }))));
    let biggest = weekBase + 1;
    for (let i = weekBase + 2; i <= lastIndex; i++) {
      if (Math.abs(change(points[i - 1]!.close, points[i]!.close)) > Math.abs(change(points[biggest - 1]!.close, points[biggest]!.close))) biggest = i;
    }
    result.biggestDay = { date: points[biggest]!.date, change: change(points[biggest - 1]!.close, points[biggest]!.close), rank: ranked(dayLookback(points, biggest, change)) };
    result.weekHigh = weekExtreme(points, weekBase, lastIndex, 'high', result.fullHistory);
    result.weekLow = weekExtreme(points, weekBase, lastIndex, 'low', result.fullHistory);
    if (unit === 'pct') {
      const [weekAgo, now] = regimesAt(points, [weekBase, lastIndex]);
      result.regime = { now: now!, weekAgo: weekAgo! };
    }
  }
  for (const window of windows) {
    const baseIndex = lastIndexOnOrBefore(points, windowAnchor(asOf, window));
    if (baseIndex < 0) continue;
    const base = points[baseIndex]!;
    result.windows[window] = { base, change: changeBetween(unit, base.close, last.close) };
  }
  const firstIndex = lastIndexOnOrBefore(points, windowAnchor(asOf, '1Y')) + 1;
  const year = points.slice(firstIndex, lastIndex + 1);
  if (year.length > 1) {
    result.high52 = year.reduce((a, b) => (b.close >= a.close ? b : a));
    result.low52 = year.reduce((a, b) => (b.close <= a.close ? b : a));
    if (unit === 'pct') result.fromHigh52 = (last.close / result.high52.close - 1) * 100;
  }
  return result;
}

/**
 * A basket's names on a date: before its name came into use ("Magnificent Seven", 2023), the earlier
 * one, so a 2013 table does not use a name coined ten years later.
 */
export function basketNames(basket: Basket, asOf: IsoDate): { name: string; shortName: string; named: boolean } {
  if (basket.namedSince === undefined || asOf >= basket.namedSince || basket.earlierName === undefined) return { name: basket.name, shortName: basket.shortName, named: true };
  const shortName = basket.earlierShortName ?? basket.earlierName.charAt(0).toUpperCase() + basket.earlierName.slice(1);
  return { name: basket.earlierName, shortName, named: false };
}

/** An equal-weighted basket: each window's return is the mean of its members' returns. */
export function basketMetrics(basket: Basket, members: readonly Metrics[], windows: readonly Window[], asOf: IsoDate): Metrics {
  const { name, shortName } = basketNames(basket, asOf);
  const result: Metrics = {
    symbol: basket.symbol,
    name,
    shortName,
    kind: 'basket',
    group: basket.group,
    unit: 'pct',
    source: members
      .map((m) => m.source)
      .filter((s, i, all) => all.indexOf(s) === i)
      .join(', '),
    windows: {},
    fullHistory: false,
    weekly: (members[0]?.weekly ?? []).flatMap((week, k) => {
      const changes = members.map((m) => m.weekly[k]?.change);
      return changes.every((c) => c !== undefined) ? [{ date: week.date, change: (changes as number[]).reduce((a, b) => a + b, 0) / changes.length }] : [];
    }),
  };
  result.usualWeekly = rms(result.weekly.slice(1).map((w) => w.change));
  for (const window of windows) {
    const changes = members.map((m) => m.windows[window]?.change);
    if (changes.length === 0 || changes.some((c) => c === undefined)) continue;
    result.windows[window] = { base: null, change: (changes as number[]).reduce((s, c) => s + c, 0) / changes.length };
  }
  return result;
}
