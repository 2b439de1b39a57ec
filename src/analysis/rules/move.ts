/** One instrument's move over a window beyond a threshold, in its unit (percent, basis points, VIX points). */
import { z } from 'zod';
import { symbolSchema, windowSchema, type Window } from '../../config/primitives.js';
import type { Unit } from '../returns.js';
import { changeOf, defineRuleKind, fmt, ruleSchemaOf, type SignalBase, surprise, type Topic } from './kind.js';

export interface MoveSignal extends SignalBase {
  kind: 'move';
  window: Window;
  symbol: string;
  unit: Unit;
  change: number;
  level: number;
  /** The last week with a move as big in the same direction (weekly only). */
  since: string | undefined;
}

const TOPIC: Record<Unit, Topic> = { pct: 'market', bp: 'rates', pt: 'risk' };
/**
 * Basis points and VIX points rank below a price move of the same surprise, and never above a
 * record or a crossing: the story is stocks.
 */
const WEIGHT: Record<Unit, number> = { pct: 1, bp: 0.5, pt: 0.5 };
const CAP: Record<Unit, number> = { pct: Number.POSITIVE_INFINITY, bp: 4, pt: 4 };

export const move = defineRuleKind({
  schema: ruleSchemaOf('move', {
    instrument: symbolSchema,
    window: windowSchema,
    threshold: z.number().positive().describe('Percent for prices, basis points for rates, points for volatility'),
  }),
  references: (rule) => ({ symbols: [['instrument', rule.instrument]], window: rule.window }),
  evaluate(rule, ctx): MoveSignal[] {
    const m = ctx.metrics.get(rule.instrument);
    const c = changeOf(ctx, rule.instrument, rule.window);
    if (!m?.last || c === undefined || Math.abs(c) < rule.threshold) return [];
    const since = rule.window === '1W' && m.weekRank && m.weekRank.span >= 26 ? m.weekRank.since : undefined;
    return [
      {
        id: rule.id,
        kind: 'move',
        topic: TOPIC[m.unit],
        window: rule.window,
        symbol: rule.instrument,
        unit: m.unit,
        change: c,
        level: m.last.close,
        since,
        magnitude: Math.min(CAP[m.unit], WEIGHT[m.unit] * surprise(c, m.usualWeekly, rule.window, rule.threshold)),
      },
    ];
  },
  explain: (rule, ctx) => ({ condition: `|${rule.instrument}| over ${rule.window} >= ${rule.threshold}`, observed: fmt(changeOf(ctx, rule.instrument, rule.window)) }),
  stated: (s) => [{ value: s.change, unit: s.unit }],
  figure: (s) => ({ symbol: s.symbol, window: s.window }),
});
