import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/analysis/returns.js';
import { evaluateRules } from '../../src/analysis/rules.js';
import type { Rule } from '../../src/config/newsletter.js';

function metric(symbol: string, week: number, extra: Partial<Metrics> = {}): Metrics {
  return {
    symbol, name: symbol, shortName: symbol, kind: 'index', group: 'g', unit: 'pct', source: 't',
    last: { date: '2026-11-20', close: 100 }, windows: { '1W': { base: { date: '2026-11-13', close: 100 / (1 + week / 100) }, change: week } },
    newHigh52: false, newLow52: false, newAllTimeHigh: false, weekly: [], ...extra,
  };
}
const table = (...items: Metrics[]) => new Map(items.map((m) => [m.symbol, m]));

describe('rules', () => {
  const relative: Rule = { id: 'r', kind: 'relative', a: 'A', b: 'B', window: '1W', threshold: 2 };

  it('relative fires at the threshold, names the leader whichever side it is on, and scales magnitude', () => {
    expect(evaluateRules([relative], table(metric('A', 3), metric('B', 1.01)))).toEqual([]);
    const [up] = evaluateRules([relative], table(metric('A', 3), metric('B', 1)));
    expect(up).toMatchObject({ kind: 'relative', leader: { symbol: 'A', change: 3 }, laggard: { symbol: 'B', change: 1 }, gap: 2, magnitude: 1 });
    const [down] = evaluateRules([relative], table(metric('A', -5), metric('B', -1)));
    expect(down).toMatchObject({ leader: { symbol: 'B' }, laggard: { symbol: 'A' }, gap: 4, magnitude: 2 });
  });

  it('move fires on either side of zero beyond its threshold', () => {
    const rule: Rule = { id: 'm', kind: 'move', instrument: 'A', window: '1W', threshold: 2 };
    expect(evaluateRules([rule], table(metric('A', 1.99)))).toEqual([]);
    expect(evaluateRules([rule], table(metric('A', -3)))[0]).toMatchObject({ change: -3, magnitude: 1.5, level: 100 });
  });

  it('level keeps only the most extreme threshold crossed', () => {
    const vix = metric('V', 10, { kind: 'volatility', unit: 'pt', last: { date: '2026-11-20', close: 34.6 } });
    const rules: Rule[] = [
      { id: 'elevated', kind: 'level', instrument: 'V', op: 'at-or-above', value: 20 },
      { id: 'stressed', kind: 'level', instrument: 'V', op: 'at-or-above', value: 30 },
      { id: 'calm', kind: 'level', instrument: 'V', op: 'at-or-below', value: 13 },
    ];
    expect(evaluateRules(rules, table(vix)).map((s) => s.id)).toEqual(['stressed']);
  });

  it('record fires for new 52-week highs and lows in its group', () => {
    const rule: Rule = { id: 'rec', kind: 'record', group: 'g', extreme: 'both' };
    const high = metric('A', 1, { newHigh52: true, high52Before: { date: '2026-03-02', close: 99 } });
    const [signal] = evaluateRules([rule], table(high, metric('B', 0)));
    expect(signal).toMatchObject({ id: 'rec:A:high', extreme: 'high', level: 100, previous: 99, previousDate: '2026-03-02' });
    expect(evaluateRules([{ ...rule, extreme: 'low' }], table(high))).toEqual([]);
  });

  it('leaders ranks a group best and worst first', () => {
    const rule: Rule = { id: 'l', kind: 'leaders', group: 'g', window: '1W', count: 2 };
    const [signal] = evaluateRules([rule], table(metric('A', 1), metric('B', -2), metric('C', 4), metric('D', 0), metric('X', 9, { group: 'other' })));
    expect(signal).toMatchObject({ leaders: [{ symbol: 'C' }, { symbol: 'A' }], laggards: [{ symbol: 'B' }, { symbol: 'D' }], spread: 6 });
  });

  it('leaders names the biggest climber in the ranking since last week', () => {
    const rule: Rule = { id: 'l', kind: 'leaders', group: 'g', window: '1W', count: 1 };
    const weeks = (now: number, before: number) => ({ weekly: [{ date: '2026-11-20', change: now }, { date: '2026-11-13', change: before }] });
    const signals = evaluateRules([rule], table(
      metric('A', 5, weeks(5, -3)), metric('B', 4, weeks(4, 3)), metric('C', 3, weeks(3, 2)), metric('D', 2, weeks(2, 1)), metric('E', 1, weeks(1, 0)),
    ));
    expect(signals[0]).toMatchObject({ climber: { symbol: 'A', from: 5, to: 1 } });
  });

  it('skips rules whose instruments have no data instead of inventing numbers', () => {
    expect(evaluateRules([relative], table(metric('A', 9)))).toEqual([]);
  });
});
