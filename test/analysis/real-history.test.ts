/**
 * The analysis on real history: for every week from 2000 to 2022 of every committed series (the S&P 500
 * from 1927, the VIX from 1990, FRED's yields from 1962 and 1976), the week's records, the week's rank
 * and the week's biggest day are recomputed here from the raw closes, another way, and must agree.
 */
import { describe, expect, it } from 'vitest';
import { seriesMetrics } from '../../src/analysis/returns.js';
import type { Instrument } from '../../src/config/newsletter.js';
import type { Point, Series } from '../../src/market/types.js';
import { fullHistorySp500, readReferenceCsv } from '../helpers/reference-data.js';

const instrument = (symbol: string, kind: Instrument['kind']): Instrument => ({ symbol, name: symbol, shortName: symbol, kind, group: 'g', required: false });
const series = (symbol: string, kind: Instrument['kind'], files: string[], fullHistory: boolean): [Instrument, Series] => [
  instrument(symbol, kind),
  { symbol, name: symbol, kind, source: files.join('+'), fullHistory, points: files.flatMap(readReferenceCsv) },
];

const SERIES: Array<[Instrument, Series]> = [
  [instrument('^GSPC', 'index'), fullHistorySp500()],
  series('^RUT', 'index', ['RUT.csv'], false),
  series('^NDX', 'index', ['NDX.csv'], false),
  series('^DJI', 'index', ['DJI.csv'], false),
  series('^VIX', 'volatility', ['VIX-1990-1999.csv', 'VIX.csv'], true),
  series('DGS10', 'rate', ['DGS10.csv'], true),
  series('DGS2', 'rate', ['DGS2.csv'], true),
  series('^TNX', 'rate', ['TNX.csv'], false),
];

/** Monday of a date's week, by the calendar alone. */
function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Each calendar week as [first index, last index] of its sessions, oldest first. */
function calendarWeeks(points: readonly Point[]): Array<[number, number]> {
  const weeks: Array<[number, number]> = [];
  points.forEach((p, i) => {
    if (i > 0 && mondayOf(p.date) === mondayOf(points[i - 1]!.date)) weeks.at(-1)![1] = i;
    else weeks.push([i, i]);
  });
  return weeks;
}

/**
 * Moves in the instrument's unit, counted in whole quotes where the series is quoted: FRED's yields in
 * basis points, ^TNX in tenths of one, the VIX in cents. So a tie ("the biggest rise since") is a tie,
 * not a float's last digit.
 */
const moveOf = (symbol: string, kind: Instrument['kind']) => {
  const quotes = (per: number, scale: number) => (base: number, close: number) => (Math.round(close * per) - Math.round(base * per)) / scale;
  if (symbol.startsWith('DGS')) return quotes(100, 1);
  if (kind === 'rate') return quotes(1000, 10);
  if (kind === 'volatility') return quotes(100, 100);
  return (base: number, close: number) => (close / base - 1) * 100;
};

/** The last entry before `k` at least as far from zero in the same direction as entry `k`. */
function lastAsBig(values: readonly number[], k: number): number | undefined {
  for (let j = k - 1; j >= 0; j--) if (values[k]! >= 0 ? values[j]! >= values[k]! : values[j]! <= values[k]!) return j;
  return undefined;
}

/** The week's records, straight from the closes: each close beyond every close before it. */
function recordsOf(points: readonly Point[], [first, last]: [number, number], high: boolean) {
  const before = points.slice(0, first);
  const standing = before.reduce((a, p) => ((high ? p.close > a.close : p.close < a.close) ? p : a));
  const records: Point[] = [];
  for (const p of points.slice(first, last + 1)) {
    const mark = records.at(-1) ?? standing;
    if (high ? p.close > mark.close : p.close < mark.close) records.push(p);
  }
  return { standing, records };
}

/** The weeks ending 2000-01-07 to 2022-12-30 with a week before them. */
const editionWeeks = (points: readonly Point[]) => calendarWeeks(points).filter(([, last], k) => k > 0 && points[last]!.date >= '2000-01-07');

describe('every week from 2000 to 2022, every series', () => {
  it("names the week's records, the standing record they beat and the one the week's extreme topped", () => {
    let checked = 0;
    for (const [inst, s] of SERIES) {
      const { points } = s;
      for (const week of editionWeeks(points)) {
        const asOf = points[week[1]]!.date;
        const m = seriesMetrics(inst, s, asOf, ['1W']);
        // A year of closes before the week: what the analysis needs to call anything a high or a low.
        const yearBefore = `${Number(points[week[0] - 1]!.date.slice(0, 4)) - 1}${points[week[0] - 1]!.date.slice(4)}`;
        for (const [found, high] of [
          [m.weekHigh, true],
          [m.weekLow, false],
        ] as const) {
          const { standing, records } = recordsOf(points, week, high);
          if (records.length > 0 && points[0]!.date <= yearBefore) expect(found, `${inst.symbol} ${asOf} ${high ? 'high' : 'low'}`).toBeDefined();
          if (!found) continue;
          expect(found.records, `${inst.symbol} ${asOf}`).toEqual(records);
          expect(found.previous.close, `${inst.symbol} ${asOf}`).toBe(standing.close);
          expect(found.beaten, `${inst.symbol} ${asOf}`).toEqual(records.length === 0 ? undefined : (records.at(-2) ?? standing));
          expect(found.allTime, `${inst.symbol} ${asOf}`).toBe(records.length > 0 && s.fullHistory);
          checked += records.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  }, 120_000);

  it('ranks each week against every earlier week of the whole history served', () => {
    for (const [inst, s] of SERIES) {
      const { points } = s;
      const weeks = calendarWeeks(points);
      const move = moveOf(inst.symbol, inst.kind);
      const changes = weeks.map(([, last], k) => (k === 0 ? Number.NaN : move(points[weeks[k - 1]![1]]!.close, points[last]!.close)));
      weeks.forEach(([, last], k) => {
        if (k < 2 || points[last]!.date < '2000-01-07') return;
        const m = seriesMetrics(inst, s, points[last]!.date, ['1W']);
        const j = lastAsBig(changes.slice(1), k - 1);
        const since = j === undefined ? undefined : points[weeks[j + 1]![1]]!.date;
        const span = j === undefined ? k - 1 : k - 1 - j;
        expect(m.weekRank, `${inst.symbol} ${points[last]!.date}`).toEqual({
          ...(since ? { since } : {}),
          span,
          onRecord: since === undefined && s.fullHistory,
          from: points[0]!.date,
        });
      });
    }
  }, 120_000);

  it("ranks the week's biggest session against every earlier session of the whole history served", () => {
    for (const [inst, s] of SERIES) {
      const { points } = s;
      const move = moveOf(inst.symbol, inst.kind);
      const days = points.map((p, i) => (i === 0 ? 0 : move(points[i - 1]!.close, p.close)));
      for (const [first, last] of editionWeeks(points)) {
        let biggest = first;
        for (let i = first; i <= last; i++) if (Math.abs(days[i]!) > Math.abs(days[biggest]!)) biggest = i;
        // Day 0 has no move: the search stops at day 1.
        const j = lastAsBig(days.slice(1), biggest - 1);
        const since = j === undefined ? undefined : points[j + 1]!.date;
        const m = seriesMetrics(inst, s, points[last]!.date, ['1W']);
        expect(m.biggestDay, `${inst.symbol} ${points[last]!.date}`).toEqual({
          date: points[biggest]!.date,
          change: days[biggest],
          rank: { ...(since ? { since } : {}), span: since ? biggest - j! - 1 : biggest - 1, onRecord: since === undefined && s.fullHistory, from: points[0]!.date },
        });
      }
    }
  }, 120_000);
});

describe('named weeks', () => {
  const metricsOf = (symbol: string, asOf: string) => {
    const [inst, s] = SERIES.find(([i]) => i.symbol === symbol)!;
    return seriesMetrics(inst, s, asOf, ['1W']);
  };

  it('2021-12-31: two records, Monday and Wednesday; Wednesday topped Monday, Monday the record of December 23', () => {
    const high = metricsOf('^GSPC', '2021-12-31').weekHigh!;
    const cents = (p: Point | undefined) => p && `${p.date} ${p.close.toFixed(2)}`;
    expect(high.records.map(cents)).toEqual(['2021-12-27 4791.19', '2021-12-29 4793.06']);
    expect(cents(high.point)).toBe('2021-12-29 4793.06');
    expect(cents(high.beaten)).toBe('2021-12-27 4791.19');
    expect(cents(high.previous)).toBe('2021-12-23 4725.79');
  });

  it('2013-03-08: the Dow beat its October 2007 high on Tuesday, then three times more', () => {
    const high = metricsOf('^DJI', '2013-03-08').weekHigh!;
    expect(high.records.map((p) => p.date)).toEqual(['2013-03-05', '2013-03-06', '2013-03-07', '2013-03-08']);
    expect(high.previous.date).toBe('2007-10-09');
    expect(high.beaten!.date).toBe('2013-03-07');
  });

  it('2008-10-10: the worst week since the week to July 21, 1933 in the history from 1927', () => {
    expect(metricsOf('^GSPC', '2008-10-10').weekRank).toMatchObject({ since: '1933-07-21', onRecord: false });
  });

  it('2020-03-16: the VIX at 82.69, its highest close ever; 2022-06-14: the 10-year at 3.49% (FRED), its highest since April 2011', () => {
    expect(metricsOf('^VIX', '2020-03-20').weekHigh).toMatchObject({ point: { date: '2020-03-16', close: 82.69 }, allTime: true, since: undefined });
    expect(metricsOf('DGS10', '2022-06-17').weekHigh).toMatchObject({ point: { date: '2022-06-14', close: 3.49 }, allTime: false, since: { date: '2011-04-14', close: 3.51 } });
  });
});
