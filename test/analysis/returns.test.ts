import { describe, expect, it } from 'vitest';
import { seriesMetrics } from '../../src/analysis/returns.js';
import type { Instrument } from '../../src/config/newsletter.js';
import { referenceSeries } from '../helpers/reference-data.js';

const spx: Instrument = { symbol: '^GSPC', name: 'S&P 500', shortName: 'S&P 500', kind: 'index', group: 'benchmarks', required: true };
const rut: Instrument = { ...spx, symbol: '^RUT', name: 'Russell 2000', shortName: 'Russell 2000' };

/** Real S&P 500 closes, typed in from the exchange record. */
const realCloses = [
  { date: '2021-12-31', close: 4766.18 },
  { date: '2022-10-18', close: 3719.98 },
  { date: '2022-11-11', close: 3992.93 },
  { date: '2022-11-14', close: 3957.25 },
  { date: '2022-11-15', close: 3991.73 },
  { date: '2022-11-16', close: 3958.79 },
  { date: '2022-11-17', close: 3946.56 },
  { date: '2022-11-18', close: 3965.34 },
];

describe('window returns', () => {
  it('measures week, month and YTD from the last session on or before each anchor', () => {
    const m = seriesMetrics(spx, { ...spx, source: 'typed', points: realCloses }, '2022-11-18', ['1W', '1M', 'YTD']);
    // Independently: 3965.34 / 3992.93 - 1 = -0.691%; / 3719.98 = +6.596%; / 4766.18 = -16.803%.
    expect(m.windows['1W']!.base!.date).toBe('2022-11-11');
    expect(m.windows['1W']!.change).toBeCloseTo(-0.691, 3);
    expect(m.windows['1M']!.change).toBeCloseTo(6.5957, 3);
    expect(m.windows.YTD!.change).toBeCloseTo(-16.8027, 3);
  });

  it("measures a week from the previous calendar week's last close, whatever day it ends", () => {
    // A Thursday as-of (as before Good Friday) is measured from the Friday before, not the Thursday.
    const m = seriesMetrics(spx, { ...spx, source: 'typed', points: realCloses }, '2022-11-17', ['1W']);
    expect(m.windows['1W']!.base).toEqual({ date: '2022-11-11', close: 3992.93 });
    expect(m.sessions).toBe(4);
    const gap = seriesMetrics(spx, { ...spx, source: 'typed', points: realCloses.filter((p) => p.date !== '2022-11-11') }, '2022-11-18', ['1W']);
    expect(gap.windows['1W']!.base).toEqual({ date: '2022-10-18', close: 3719.98 }); // no close that week: fall back
  });

  it('reports yields in basis points and the VIX in points', () => {
    const points = [
      { date: '2022-11-11', close: 3.81 },
      { date: '2022-11-18', close: 3.83 },
    ];
    const tnx = seriesMetrics({ ...spx, symbol: '^TNX', kind: 'rate' }, { source: 't', points }, '2022-11-18', ['1W']);
    expect(tnx.unit).toBe('bp');
    expect(tnx.windows['1W']!.change).toBeCloseTo(2, 9);
    const vix = seriesMetrics(
      { ...spx, symbol: '^VIX', kind: 'volatility' },
      {
        source: 't',
        points: [
          { date: '2022-11-11', close: 22.52 },
          { date: '2022-11-18', close: 23.12 },
        ],
      },
      '2022-11-18',
      ['1W'],
    );
    expect(vix.windows['1W']!.change).toBeCloseTo(0.6, 9);
  });

  it('finds the 52-week high and low and the distance from the high', () => {
    const points = [
      { date: '2021-11-10', close: 50 }, // more than 52 weeks back: ignored
      { date: '2021-11-19', close: 100 },
      { date: '2022-03-01', close: 120 },
      { date: '2022-06-01', close: 80 },
      { date: '2022-11-11', close: 85 },
      { date: '2022-11-18', close: 90 },
    ];
    const m = seriesMetrics(spx, { ...spx, source: 't', points }, '2022-11-18', ['1W']);
    expect(m.high52).toEqual({ date: '2022-03-01', close: 120 });
    expect(m.low52).toEqual({ date: '2022-06-01', close: 80 });
    expect(m.fromHigh52).toBeCloseTo(-25, 9);
    expect(m.weekHigh).toBeUndefined();
  });

  it('finds a record set on any day of the week, names what it beat, and claims all-time only with the whole history', () => {
    const points = [
      { date: '2020-01-02', close: 150 },
      { date: '2022-03-01', close: 120 },
      { date: '2022-11-11', close: 140 },
      { date: '2022-11-14', close: 141 },
      { date: '2022-11-16', close: 152 },
      { date: '2022-11-18', close: 149 },
    ];
    const full = seriesMetrics(spx, { source: 't', points, fullHistory: true }, '2022-11-18', ['1W']);
    expect(full.weekHigh).toMatchObject({ point: { date: '2022-11-16', close: 152 }, atClose: false, allTime: true, previous: { date: '2020-01-02', close: 150 } });
    expect(full.weekHigh!.since).toBeUndefined();
    const partial = seriesMetrics(spx, { source: 't', points, fullHistory: false }, '2022-11-18', ['1W']);
    expect(partial.weekHigh).toMatchObject({ allTime: false, yearsOfData: 2 });
    // 148 beats the year's closes but not 2020's 150: "its highest close since January 2, 2020".
    const lower = seriesMetrics(spx, { source: 't', points: points.map((p) => (p.close === 152 ? { ...p, close: 148 } : p)), fullHistory: true }, '2022-11-18', ['1W']);
    expect(lower.weekHigh).toMatchObject({ allTime: false, since: { date: '2020-01-02' }, point: { date: '2022-11-18', close: 149 }, atClose: true });
  });

  it('matches the values in ../shared/market-data/README.md', () => {
    const cases: Array<[string, '1W' | '1M' | 'YTD', number, number]> = [
      ['2022-11-18', '1W', -0.69, -1.75],
      ['2022-11-18', '1M', 6.6, 5.34],
      ['2022-11-18', 'YTD', -16.8, -17.62],
      ['2020-02-28', '1W', -11.49, -12.04],
      ['2008-10-10', '1W', -18.2, -15.65],
    ];
    const spxSeries = referenceSeries('GSPC.csv', '^GSPC', 'S&P 500');
    const rutSeries = referenceSeries('RUT.csv', '^RUT', 'Russell 2000');
    for (const [asOf, window, spxExpected, rutExpected] of cases) {
      expect(Number(seriesMetrics(spx, spxSeries, asOf, [window]).windows[window]!.change.toFixed(2)), `${asOf} ${window} S&P`).toBe(spxExpected);
      expect(Number(seriesMetrics(rut, rutSeries, asOf, [window]).windows[window]!.change.toFixed(2)), `${asOf} ${window} RUT`).toBe(rutExpected);
    }
  });
});
