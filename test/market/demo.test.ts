import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { addDays, sessionsBetween } from '../../src/market/calendar.js';
import type { ScenarioName } from '../../src/market/providers/demo.js';
import { Failure } from '../../src/shared/errors.js';
import { demoSnapshot, parseDataSource, scenarioNames, type Snapshot } from '../../src/market/index.js';
import { seriesSchema } from '../../src/market/types.js';

const config = parseNewsletter({});
const asOf = '2026-11-20';
const snapshot = (scenario: string): Snapshot => demoSnapshot(scenario as ScenarioName, asOf, config, new Date('2026-11-21T14:00:00Z'));
/** The week's return computed here from the closes, independently of src/analysis. */
const weekReturn = (s: Snapshot, symbol: string) => {
  const points = s.series.find((x) => x.symbol === symbol)!.points;
  return (points.at(-1)!.close / points.find((p) => p.date === '2026-11-13')!.close - 1) * 100;
};
const last = (s: Snapshot, symbol: string) => s.series.find((x) => x.symbol === symbol)!.points.at(-1)!.close;
const weekAgo = (s: Snapshot, symbol: string) => s.series.find((x) => x.symbol === symbol)!.points.find((p) => p.date === '2026-11-13')!.close;

describe('demo provider', () => {
  it('offers at least four named scenarios and rejects unknown ones with the list', () => {
    expect(scenarioNames).toEqual(expect.arrayContaining(['small-cap-rally', 'risk-off', 'quiet-week', 'mega-cap-melt-up']));
    expect(() => parseDataSource('demo:moon-landing')).toThrow(/unknown demo scenario "moon-landing": choose one of small-cap-rally/);
    expect(() => parseDataSource('bloomberg')).toThrow(Failure);
  });

  it.each(scenarioNames)('%s: every default instrument, two years of valid sessions on the NYSE calendar', (name) => {
    const s = snapshot(name);
    expect(s.demo).toBe(true);
    expect(s.series.map((x) => x.symbol)).toEqual(config.instruments.map((i) => i.symbol));
    const sessions = sessionsBetween(s.series[0]!.points[0]!.date, asOf);
    expect(sessions.length).toBeGreaterThanOrEqual(504);
    expect(s.series[0]!.points[0]!.date <= addDays(asOf, -730)).toBe(true);
    for (const series of s.series) {
      expect(seriesSchema.safeParse(series).success).toBe(true);
      expect(series.points.map((p) => p.date)).toEqual(sessions);
    }
  });

  it('is deterministic', () => {
    expect(snapshot('risk-off').series).toEqual(snapshot('risk-off').series);
  });

  it('small-cap-rally: the Russell 2000 beats the S&P 500 by more than 4 points; financials, industrials, materials lead; VIX and yield fall', () => {
    const s = snapshot('small-cap-rally');
    expect(weekReturn(s, '^RUT') - weekReturn(s, '^GSPC')).toBeGreaterThan(4);
    const sectors = config.instruments
      .filter((i) => i.group === 'sectors')
      .map((i) => i.symbol)
      .sort((a, b) => weekReturn(s, b) - weekReturn(s, a));
    expect(sectors.slice(0, 3).sort()).toEqual(['XLB', 'XLF', 'XLI']);
    expect(last(s, '^VIX')).toBeLessThan(weekAgo(s, '^VIX'));
    expect(last(s, '^TNX')).toBeLessThan(weekAgo(s, '^TNX'));
  });

  it('risk-off: every index falls and the VIX closes above 30', () => {
    const s = snapshot('risk-off');
    for (const symbol of ['^GSPC', '^RUT', '^IXIC', '^DJI']) expect(weekReturn(s, symbol)).toBeLessThan(-3);
    expect(last(s, '^VIX')).toBeGreaterThan(30);
  });

  it('quiet-week: no benchmark moves more than 1%', () => {
    const s = snapshot('quiet-week');
    for (const symbol of ['^GSPC', '^RUT', '^IXIC', '^DJI']) expect(Math.abs(weekReturn(s, symbol))).toBeLessThan(1);
  });

  it('mega-cap-melt-up: the Magnificent Seven basket leads and small caps lag', () => {
    const s = snapshot('mega-cap-melt-up');
    const mag7 = config.baskets[0]!.members.reduce((sum, m) => sum + weekReturn(s, m), 0) / 7;
    expect(mag7).toBeGreaterThan(weekReturn(s, '^GSPC') + 2);
    expect(weekReturn(s, '^RUT')).toBeLessThan(weekReturn(s, '^GSPC'));
    expect(analyze(s, config).metrics.get('MAG7')!.windows['1W']!.change).toBeCloseTo(mag7, 10);
  });
});
