/**
 * Window returns counted on sessions. Convention: a window ending at the edition's as-of session
 * starts from its anchor (1W: 7 calendar days back; 1M, 3M, 1Y: the same day of the month, clamped;
 * YTD: December 31 of the previous year), and the base close is the last session on or before the
 * anchor. So the week ending Friday 2022-11-18 is measured from the close of Friday 2022-11-11.
 * Prices change in percent, yields in basis points, volatility indices in points.
 */
import type { Basket, Instrument, Window } from '../config/newsletter.js';
import { addDays, windowAnchor } from '../market/calendar.js';
import type { IsoDate, Point, Series } from '../market/types.js';

export type Unit = 'pct' | 'bp' | 'pt';

export interface WindowChange {
  base: Point;
  change: number;
}

export interface Metrics {
  symbol: string;
  name: string;
  shortName: string;
  kind: Instrument['kind'] | 'basket';
  group: string;
  unit: Unit;
  source: string;
  /** Absent for baskets, which have returns but no price. */
  last?: Point;
  windows: Partial<Record<Window, WindowChange | { base: null; change: number }>>;
  high52?: Point;
  low52?: Point;
  /** Percent below the 52-week high (0 at a high), prices only. */
  fromHigh52?: number;
  newHigh52: boolean;
  newLow52: boolean;
  /** Above every earlier close, and the series holds the whole history (else it cannot be known). */
  newAllTimeHigh: boolean;
  /** The extremes of the 52 weeks before the last close: the records a new high or low beat. */
  high52Before?: Point;
  low52Before?: Point;
  /** Week-by-week changes, this week first, each measured like 1W (base: last session 7 days back). */
  weekly: WeeklyChange[];
  /** The instrument's usual weekly move: RMS of the past year's weekly changes (this week excluded). */
  usualWeekly?: number;
  /** The week's largest one-session move (percent for prices), with its date. */
  biggestDay?: { date: IsoDate; change: number };
  /** Percent below the highest close in the data, now and at the start of the week (prices only). */
  drawdown?: { now: number; weekAgo: number; peak: Point };
}

export interface WeeklyChange {
  /** The week's last session. */
  date: IsoDate;
  change: number;
}

const WEEKS_OF_HISTORY = 52;

/** Root mean square: the size of a usual move, whichever its direction. */
export function rms(values: readonly number[]): number | undefined {
  if (values.length < 8) return undefined;
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
}

export function weeklyChanges(points: readonly Point[], unit: Unit, asOf: IsoDate, weeks = WEEKS_OF_HISTORY): WeeklyChange[] {
  const out: WeeklyChange[] = [];
  let end = asOf;
  for (let k = 0; k <= weeks; k++) {
    const endIndex = lastIndexOnOrBefore(points, end);
    const startAnchor = addDays(end, -7);
    const baseIndex = lastIndexOnOrBefore(points, startAnchor);
    if (endIndex < 0 || baseIndex < 0 || baseIndex >= endIndex) break;
    out.push({ date: points[endIndex]!.date, change: changeBetween(unit, points[baseIndex]!.close, points[endIndex]!.close) });
    end = startAnchor;
  }
  return out;
}

export function unitOf(kind: Metrics['kind']): Unit {
  return kind === 'rate' ? 'bp' : kind === 'volatility' ? 'pt' : 'pct';
}

/** The change from `base` to `last` in the instrument's unit. */
export function changeBetween(unit: Unit, base: number, last: number): number {
  if (unit === 'pct') return (last / base - 1) * 100;
  if (unit === 'bp') return (last - base) * 100;
  return last - base;
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

export function seriesMetrics(instrument: Instrument, series: Pick<Series, 'points' | 'source'> & { fullHistory?: boolean }, asOf: IsoDate, windows: readonly Window[]): Metrics {
  const unit = unitOf(instrument.kind);
  const lastIndex = lastIndexOnOrBefore(series.points, asOf);
  if (lastIndex < 0) throw new Error(`${instrument.symbol} has no close on or before ${asOf}`);
  const last = series.points[lastIndex]!;
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
    newHigh52: false,
    newLow52: false,
    newAllTimeHigh: false,
    weekly: weeklyChanges(series.points.slice(0, lastIndex + 1), unit, asOf),
  };
  result.usualWeekly = rms(result.weekly.slice(1).map((w) => w.change));
  const weekBase = lastIndexOnOrBefore(series.points, windowAnchor(asOf, '1W'));
  if (weekBase >= 0) {
    for (let i = weekBase + 1; i <= lastIndex; i++) {
      const change = changeBetween(unit, series.points[i - 1]!.close, series.points[i]!.close);
      if (!result.biggestDay || Math.abs(change) > Math.abs(result.biggestDay.change)) result.biggestDay = { date: series.points[i]!.date, change };
    }
  }
  if (series.fullHistory && lastIndex > 0) {
    result.newAllTimeHigh = series.points.slice(0, lastIndex).every((p) => last.close > p.close);
  }
  if (unit === 'pct') {
    const upTo = (index: number) => series.points.slice(0, index + 1).reduce((a, b) => (b.close >= a.close ? b : a));
    const peak = upTo(lastIndex);
    const peakWeekAgo = weekBase >= 0 ? upTo(weekBase) : undefined;
    result.drawdown = {
      now: (last.close / peak.close - 1) * 100,
      weekAgo: peakWeekAgo ? (series.points[weekBase]!.close / peakWeekAgo.close - 1) * 100 : 0,
      peak,
    };
  }
  for (const window of windows) {
    const baseIndex = lastIndexOnOrBefore(series.points, windowAnchor(asOf, window));
    if (baseIndex < 0) continue;
    const base = series.points[baseIndex]!;
    result.windows[window] = { base, change: changeBetween(unit, base.close, last.close) };
  }
  const yearStart = windowAnchor(asOf, '1Y');
  const firstIndex = lastIndexOnOrBefore(series.points, yearStart) + 1;
  const year = series.points.slice(firstIndex, lastIndex + 1);
  if (year.length > 1) {
    const highest = (points: Point[]) => points.reduce((a, b) => (b.close >= a.close ? b : a));
    const lowest = (points: Point[]) => points.reduce((a, b) => (b.close <= a.close ? b : a));
    const prior = year.slice(0, -1);
    result.high52 = highest(year);
    result.low52 = lowest(year);
    result.high52Before = highest(prior);
    result.low52Before = lowest(prior);
    result.newHigh52 = last.close > result.high52Before.close;
    result.newLow52 = last.close < result.low52Before.close;
    if (unit === 'pct') result.fromHigh52 = (last.close / result.high52.close - 1) * 100;
  }
  return result;
}

/** An equal-weighted basket: each window's return is the mean of its members' returns. */
export function basketMetrics(basket: Basket, members: readonly Metrics[], windows: readonly Window[]): Metrics {
  const result: Metrics = {
    symbol: basket.symbol,
    name: basket.name,
    shortName: basket.shortName,
    kind: 'basket',
    group: basket.group,
    unit: 'pct',
    source: members.map((m) => m.source).filter((s, i, all) => all.indexOf(s) === i).join(', '),
    windows: {},
    newHigh52: false,
    newLow52: false,
    newAllTimeHigh: false,
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
