/**
 * The yield curve: long minus short yield from one source (FRED's DGS10 and DGS2, both constant
 * maturity), steepening or flattening over a window, or changing sign.
 */
import { z } from 'zod';
import { symbolSchema, windowSchema, type Window } from '../../config/primitives.js';
import { changeOf, defineRuleKind, fmt, type Mover, ruleSchemaOf, type SignalBase } from './kind.js';

export interface CurveSignal extends SignalBase {
  kind: 'curve';
  window: Window;
  long: Mover;
  short: Mover;
  threshold: number;
  /** Long minus short, in basis points, now and its change over the window. */
  spread: number;
  spreadChange: number;
  /** Did the spread change sign (invert, or turn positive again) over the window? */
  crossedZero: boolean;
}

export const curve = defineRuleKind({
  schema: ruleSchemaOf('curve', {
    long: symbolSchema.describe('The long-maturity yield, e.g. DGS10 (the same source as the short one)'),
    short: symbolSchema.describe('The short-maturity yield, e.g. DGS2'),
    window: windowSchema,
    threshold: z.number().positive().describe('Change of the spread in basis points'),
  }),
  references: (rule) => ({
    symbols: [
      ['long', rule.long],
      ['short', rule.short],
    ],
    window: rule.window,
  }),
  evaluate(rule, ctx): CurveSignal[] {
    const long = ctx.metrics.get(rule.long);
    const short = ctx.metrics.get(rule.short);
    const lc = changeOf(ctx, rule.long, rule.window);
    const sc = changeOf(ctx, rule.short, rule.window);
    if (!long?.last || !short?.last || lc === undefined || sc === undefined) return [];
    const spread = (long.last.close - short.last.close) * 100;
    const spreadChange = lc - sc;
    const crossedZero = Math.sign(spread) !== Math.sign(spread - spreadChange) && spread !== 0;
    if (Math.abs(spreadChange) < rule.threshold && !crossedZero) return [];
    return [
      {
        id: rule.id,
        kind: 'curve',
        topic: 'rates',
        window: rule.window,
        long: { symbol: rule.long, change: lc },
        short: { symbol: rule.short, change: sc },
        threshold: rule.threshold,
        spread,
        spreadChange,
        crossedZero,
        magnitude: 0.5 * (Math.abs(spreadChange) / rule.threshold + (crossedZero ? 1 : 0)),
      },
    ];
  },
  explain: (rule, ctx) => ({
    condition: `|change of ${rule.long} - ${rule.short}| over ${rule.window} >= ${rule.threshold} bp, or a change of sign`,
    observed: `${fmt(changeOf(ctx, rule.long, rule.window), 1)} bp vs ${fmt(changeOf(ctx, rule.short, rule.window), 1)} bp`,
  }),
  stated: (s) => [
    { value: s.long.change, unit: 'bp' },
    { value: s.short.change, unit: 'bp' },
    { value: s.spreadChange, unit: 'bp' },
  ],
});
