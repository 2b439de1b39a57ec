import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/analysis/returns.js';
import { evaluateRules, ruleSchema, type Rule } from '../../src/analysis/rules/index.js';
import type { z } from 'zod';

function metric(symbol: string, week: number, extra: Partial<Metrics> = {}): Metrics {
  return {
    symbol,
    name: symbol,
    shortName: symbol,
    kind: 'index',
    group: 'g',
    unit: 'pct',
    source: 't',
    last: { date: '2026-11-20', close: 100 },
    windows: { '1W': { base: { date: '2026-11-13', close: 100 / (1 + week / 100) }, change: week } },
    fullHistory: false,
    weekly: [],
    ...extra,
  };
}
const rule = (input: z.input<typeof ruleSchema>): Rule => ruleSchema.parse(input);
const evaluate = (rules: Rule[], metrics: Map<string, Metrics>) => evaluateRules(rules, metrics, '2026-11-20');
const table = (...items: Metrics[]) => new Map(items.map((m) => [m.symbol, m]));

describe('rules', () => {
  const relativeInput = { id: 'r', kind: 'relative', a: 'A', b: 'B', window: '1W', threshold: 2 } as const;
  const relative = rule(relativeInput);

  it('relative fires at the threshold, names the leader whichever side it is on, and scales magnitude', () => {
    expect(evaluate([relative], table(metric('A', 3), metric('B', 1.01)))).toEqual([]);
    const [up] = evaluate([relative], table(metric('A', 3), metric('B', 1)));
    expect(up).toMatchObject({ kind: 'relative', leader: { symbol: 'A', change: 3 }, laggard: { symbol: 'B', change: 1 }, gap: 2, magnitude: 0.9 });
    const [down] = evaluate([relative], table(metric('A', -5), metric('B', -1)));
    expect(down).toMatchObject({ leader: { symbol: 'B' }, laggard: { symbol: 'A' }, gap: 4, magnitude: 1.8 });
  });

  it('looks back directionally: "last led by as much" skips weeks in which the other side led by more', () => {
    const weeks = (changes: number[]) => ({
      weekly: changes.map((change, k) => ({ date: `2026-${String(11 - Math.floor(k / 4)).padStart(2, '0')}-${String(28 - (k % 4) * 7).padStart(2, '0')}`, change })),
    });
    // Gaps A - B, this week first: +3, then -5 (B led by more), +1, +4 (A led by more).
    const a = metric('A', 3, weeks([3, -5, 1, 4]));
    const b = metric('B', 0, weeks([0, 0, 0, 0]));
    const [signal] = evaluate([relative], table(a, b));
    expect(signal).toMatchObject({ streak: 1, largestSince: a.weekly[3]!.date });
  });

  it('tells a companion alongside only when its move agrees with the configured relation', () => {
    const withRates = rule({ ...relativeInput, alongside: { symbol: 'Y', relation: 'inverse', minChange: 8 } });
    const yields = (bp: number) => metric('Y', bp, { unit: 'bp', kind: 'rate' });
    expect(evaluate([withRates], table(metric('A', 3), metric('B', 0), yields(-15)))[0]).toMatchObject({ alongside: { symbol: 'Y', change: -15, unit: 'bp' } });
    expect(evaluate([withRates], table(metric('A', 3), metric('B', 0), yields(15)))[0]).toMatchObject({ alongside: undefined }); // yields up while A led: no link implied
    expect(evaluate([withRates], table(metric('A', 3), metric('B', 0), yields(-5)))[0]).toMatchObject({ alongside: undefined }); // too small to tell
  });

  it('move fires on either side of zero beyond its threshold', () => {
    const moveInput = { id: 'm', kind: 'move', instrument: 'A', window: '1W', threshold: 2 } as const;
    const move = rule(moveInput);
    expect(evaluate([move], table(metric('A', 1.99)))).toEqual([]);
    expect(evaluate([move], table(metric('A', -3)))[0]).toMatchObject({ change: -3, magnitude: 1.5, level: 100, topic: 'market' });
    // A move in basis points ranks below a price move of the same surprise, and is capped: the story is stocks.
    expect(evaluate([rule({ ...moveInput, instrument: 'Y' })], table(metric('Y', -12, { unit: 'bp', kind: 'rate' })))[0]).toMatchObject({ magnitude: 3, topic: 'rates' });
    expect(evaluate([rule({ ...moveInput, instrument: 'Y' })], table(metric('Y', -30, { unit: 'bp', kind: 'rate' })))[0]).toMatchObject({ magnitude: 4 });
  });

  it('level keeps only the most extreme threshold crossed', () => {
    const vix = metric('V', 10, { kind: 'volatility', unit: 'pt', last: { date: '2026-11-20', close: 34.6 } });
    const rules = [
      rule({ id: 'elevated', kind: 'level', instrument: 'V', op: 'at-or-above', value: 20 }),
      rule({ id: 'stressed', kind: 'level', instrument: 'V', op: 'at-or-above', value: 30 }),
      rule({ id: 'calm', kind: 'level', instrument: 'V', op: 'at-or-below', value: 13 }),
    ];
    expect(evaluate(rules, table(vix)).map((s) => s.id)).toEqual(['stressed']);
  });

  it('record fires for a week beyond the past year, in its group, naming what it beat', () => {
    const records = rule({ id: 'rec', kind: 'record', group: 'g', extreme: 'both' });
    const weekHigh = {
      extreme: 'high' as const,
      point: { date: '2026-11-18', close: 101 },
      atClose: false,
      since: { date: '2024-03-02', close: 102 },
      allTime: false,
      previous: { date: '2021-01-04', close: 130 },
      records: [],
      yearsOfData: 20,
    };
    const [signal] = evaluate([records], table(metric('A', 1, { weekHigh }), metric('B', 0)));
    expect(signal).toMatchObject({
      id: 'rec:A:high',
      extreme: 'high',
      record: { date: '2026-11-18', close: 101 },
      level: 100,
      since: { date: '2024-03-02' },
      atClose: false,
      topic: 'records',
    });
    expect(evaluate([rule({ id: 'rec', kind: 'record', group: 'g', extreme: 'low' })], table(metric('A', 1, { weekHigh })))).toEqual([]);
  });

  it('leaders ranks a group best and worst first', () => {
    const leaders = rule({ id: 'l', kind: 'leaders', group: 'g', window: '1W', count: 2 });
    const [signal] = evaluate([leaders], table(metric('A', 1), metric('B', -2), metric('C', 4), metric('D', 0), metric('X', 9, { group: 'other' })));
    expect(signal).toMatchObject({ leaders: [{ symbol: 'C' }, { symbol: 'A' }], laggards: [{ symbol: 'B' }, { symbol: 'D' }], spread: 6 });
  });

  it('leaders names the biggest climber in the ranking since last week', () => {
    const leaders = rule({ id: 'l', kind: 'leaders', group: 'g', window: '1W', count: 1 });
    const weeks = (now: number, before: number) => ({
      weekly: [
        { date: '2026-11-20', change: now },
        { date: '2026-11-13', change: before },
      ],
    });
    const signals = evaluate(
      [leaders],
      table(metric('A', 5, weeks(5, -3)), metric('B', 4, weeks(4, 3)), metric('C', 3, weeks(3, 2)), metric('D', 2, weeks(2, 1)), metric('E', 1, weeks(1, 0))),
    );
    expect(signals[0]).toMatchObject({ climber: { symbol: 'A', from: 5, to: 1 } });
  });

  it('skips rules whose instruments have no data instead of inventing numbers', () => {
    expect(evaluate([relative], table(metric('A', 9)))).toEqual([]);
  });
});
