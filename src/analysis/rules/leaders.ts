/** The best and worst of a group over a window, and the biggest climb in its ranking since last week. */
import { z } from 'zod';
import { groupSchema, windowSchema, type Window } from '../../config/primitives.js';
import type { Metrics } from '../returns.js';
import { defineRuleKind, type Mover, ruleSchemaOf, type SignalBase } from './kind.js';

export interface LeadersSignal extends SignalBase {
  kind: 'leaders';
  window: Window;
  group: string;
  leaders: Mover[];
  laggards: Mover[];
  spread: number;
  /** Every member moved one way (as the figures show them, to 0.1%): that, not the ranking, is the news. */
  oneWay: 'up' | 'down' | undefined;
  /** Weekly only: the member that climbed most places in the ranking since last week (3 or more). */
  climber: { symbol: string; from: number; to: number } | undefined;
}

/** Leaders fill a section; they rarely lead the email. */
const LEADERS_WEIGHT = 0.2;

/** Sector rotation: who moved up the ranking most since last week (ranks are 1-based, best first). */
function biggestClimber(members: readonly Metrics[]): LeadersSignal['climber'] {
  const rank = (k: number) => {
    const order = members
      .filter((m) => m.weekly[k])
      .sort((a, b) => b.weekly[k]!.change - a.weekly[k]!.change)
      .map((m) => m.symbol);
    return new Map(order.map((symbol, i) => [symbol, i + 1]));
  };
  const now = rank(0);
  const before = rank(1);
  let best: LeadersSignal['climber'];
  for (const [symbol, to] of now) {
    const from = before.get(symbol);
    if (from !== undefined && from - to >= 3 && (!best || from - to > best.from - best.to)) best = { symbol, from, to };
  }
  return best;
}

export const leaders = defineRuleKind({
  schema: ruleSchemaOf('leaders', {
    group: groupSchema,
    window: windowSchema,
    count: z.number().int().min(1).max(5),
  }),
  references: (rule) => ({ symbols: [], group: rule.group, window: rule.window }),
  evaluate(rule, { metrics }): LeadersSignal[] {
    const members = [...metrics.values()]
      .filter((m) => m.group === rule.group)
      .map((m) => ({ symbol: m.symbol, change: m.windows[rule.window]?.change }))
      .filter((m): m is Mover => m.change !== undefined)
      .sort((x, y) => y.change - x.change);
    const count = Math.min(rule.count, Math.floor(members.length / 2));
    if (count < 1) return [];
    const top = members.slice(0, count);
    const bottom = members.slice(-count).reverse();
    const spread = top[0]!.change - bottom[0]!.change;
    return [
      {
        id: rule.id,
        kind: 'leaders',
        topic: 'sectors',
        window: rule.window,
        group: rule.group,
        leaders: top,
        laggards: bottom,
        spread,
        oneWay: bottom[0]!.change >= 0.05 ? 'up' : top[0]!.change <= -0.05 ? 'down' : undefined,
        climber: rule.window === '1W' ? biggestClimber(members.map((m) => metrics.get(m.symbol)!)) : undefined,
        magnitude: LEADERS_WEIGHT * (1 + spread / 10),
      },
    ];
  },
  explain: (rule, { metrics }) => {
    const n = [...metrics.values()].filter((m) => m.group === rule.group && m.windows[rule.window]).length;
    return { condition: `top and bottom ${rule.count} of ${rule.group} over ${rule.window}`, observed: n >= 2 ? `${n} ranked` : 'too few instruments' };
  },
  stated: (s) => [...s.leaders, ...s.laggards].map((m) => ({ value: m.change, unit: 'pct' as const })),
});
