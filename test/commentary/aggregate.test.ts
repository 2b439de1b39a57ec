/**
 * Aggregation: parallel moves told in one sentence, the bound true of each move as shown, each
 * instrument's typed facts kept under the paragraph's joined id.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Signal } from '../../src/analysis/index.js';
import { compose, findFactErrors, loadCommentaryTemplates, reviewEdition } from '../../src/commentary/index.js';
import { defaultRules } from '../../src/config/defaults.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { demoSnapshot } from '../../src/market/index.js';
import { boundOf, joinIds, parallelMoves, sayTogether, toldIds } from '../../src/commentary/micro/aggregate.js';

const move = (symbol: string, change: number, extra: Partial<Extract<Signal, { kind: 'move' }>> = {}): Signal => ({
  id: `${symbol}-week`,
  kind: 'move',
  topic: 'market',
  magnitude: Math.abs(change),
  window: '1W',
  symbol,
  unit: 'pct',
  change,
  level: 100,
  since: undefined,
  ...extra,
});
const words = {
  list: (symbols: readonly string[]) =>
    symbols
      .map((s) => `the ${s}`)
      .join(' and ')
      .replace(/^t/, 'T'),
  period: () => 'this week',
};

describe('parallel moves', () => {
  it('tells two prices that fell by similar amounts in one sentence, "more than" true of each', () => {
    const [p, ...none] = parallelMoves([move('Russell 2000', -7.3), move('Nasdaq', -8.1)]);
    expect(none).toEqual([]);
    expect(p!.moves.map((m) => m.symbol)).toEqual(['Nasdaq', 'Russell 2000']);
    expect(sayTogether(p!, words)).toBe('The Nasdaq and the Russell 2000 both fell more than 7% this week.');
    for (const m of p!.moves) expect(Math.abs(m.change)).toBeGreaterThan(p!.bound);
  });

  it('keeps apart moves of opposite ways, of other units or windows, and of sizes far apart', () => {
    expect(parallelMoves([move('Nasdaq', -8.1), move('Russell 2000', 7.9)])).toEqual([]);
    expect(parallelMoves([move('Nasdaq', -8.1), move('10-year', -8, { unit: 'bp' })])).toEqual([]);
    expect(parallelMoves([move('Nasdaq', -8.1), move('Russell 2000', -7.9, { window: '1M' })])).toEqual([]);
    expect(parallelMoves([move('Nasdaq', -12.4), move('Russell 2000', -7.3)])).toEqual([]);
  });

  it('joins three as "all", leaving out the one too small', () => {
    const [p] = parallelMoves([move('A', 4.2), move('B', 4.9), move('C', 4.5), move('D', 2.1)]);
    expect(sayTogether(p!, words)).toMatch(/ all rose more than 4% /);
    expect(p!.moves.map((m) => m.symbol)).toEqual(['B', 'C', 'A']);
  });

  it('bounds by the size as shown: 7.0% is not "more than 7%", and under 2% there is nothing to say', () => {
    expect(boundOf([-7.04, -8.2])).toBe(6);
    expect(boundOf([-7.06, -8.2])).toBe(7);
    expect(boundOf([1.4, 1.6])).toBeUndefined();
    expect(parallelMoves([move('A', 1.4), move('B', 1.6)])).toEqual([]);
  });

  it('keeps every instrument under the joined id', () => {
    expect(toldIds([joinIds(['nasdaq-week', 'russell-week']), 'market'])).toEqual(['nasdaq-week', 'russell-week', 'market']);
  });
});

describe('an edition with parallel moves', () => {
  it("tells the Russell 2000 and the Nasdaq in one sentence, with each one's move fact, and passes review", () => {
    // The risk-off week without the comparisons, crossings and day that would tell these moves' figures first.
    const config = parseNewsletter({ rules: defaultRules.filter((r) => !['relative', 'regime', 'biggest-day'].includes(r.kind)) });
    const snapshot = demoSnapshot('risk-off', '2026-11-20', config, new Date('2026-11-21T00:00:00Z'));
    const analysis = analyze(snapshot, config);
    const commentary = compose({ analysis, config, templates: loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary')) });
    const section = commentary.sections.find((s) => s.signalIds.includes('russell-big-week+nasdaq-big-week'))!;
    const i = section.signalIds.indexOf('russell-big-week+nasdaq-big-week');
    expect(section.paragraphs[i]).toBe('The Russell 2000 and the Nasdaq both fell more than 7% this week.');
    const moves = section.facts![i]!.filter((f) => f.kind === 'move');
    expect(moves.map((f) => f.symbol)).toEqual(['^RUT', '^IXIC']);
    for (const f of moves) expect(Math.abs(f.change)).toBeGreaterThan(7);
    expect(reviewEdition(analysis, commentary, snapshot, config)).toEqual({ contradictions: [], lookbacks: [], style: [] });
    // Each instrument's fact is still checked: one moved wrong is found in that sentence.
    const wrong = structuredClone(commentary);
    const fact = wrong.sections.find((s) => s.title === section.title)!.facts![i]![1]!;
    if (fact.kind === 'move') fact.change = -6.5;
    expect(findFactErrors(wrong, snapshot.series, config.baskets)).toEqual([expect.stringContaining('both fell more than 7%')]);
  });
});
