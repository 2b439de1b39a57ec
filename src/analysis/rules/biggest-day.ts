/** The week's largest one-session move in a group, told with its weekday. */
import { z } from 'zod';
import { groupSchema } from '../../config/primitives.js';
import type { Rank } from '../returns.js';
import { defineRuleKind, ruleSchemaOf, type SignalBase } from './kind.js';

export interface BiggestDaySignal extends SignalBase {
  kind: 'biggest-day';
  symbol: string;
  date: string;
  change: number;
  /** The day against every earlier session of its index ("its biggest one-day gain since 2008-10-28"). */
  rank: Rank;
  threshold: number;
}

export const biggestDay = defineRuleKind({
  schema: ruleSchemaOf('biggest-day', {
    group: groupSchema,
    threshold: z.number().positive().describe("Percent: the week's largest one-session move must reach it"),
  }),
  references: (rule) => ({ symbols: [], group: rule.group }),
  evaluate(rule, { metrics }): BiggestDaySignal[] {
    const days = [...metrics.values()].filter((m) => m.group === rule.group && m.unit === 'pct' && m.biggestDay);
    const biggest = days.sort((x, y) => Math.abs(y.biggestDay!.change) - Math.abs(x.biggestDay!.change))[0];
    if (!biggest || Math.abs(biggest.biggestDay!.change) < rule.threshold) return [];
    const day = biggest.biggestDay!;
    const usualDay = biggest.usualWeekly ? biggest.usualWeekly / Math.sqrt(5) : undefined;
    return [
      {
        id: rule.id,
        kind: 'biggest-day',
        topic: 'market',
        symbol: biggest.symbol,
        date: day.date,
        change: day.change,
        rank: day.rank,
        threshold: rule.threshold,
        magnitude: 0.5 * (usualDay ? Math.abs(day.change) / usualDay / 2 : Math.abs(day.change) / rule.threshold),
      },
    ];
  },
  explain: (rule, { metrics }) => {
    const best = [...metrics.values()]
      .filter((m) => m.group === rule.group && m.unit === 'pct' && m.biggestDay)
      .map((m) => Math.abs(m.biggestDay!.change))
      .sort((a, b) => b - a)[0];
    return { condition: `the week's largest one-session move in ${rule.group} >= ${rule.threshold}%`, observed: best === undefined ? 'no data' : `${best.toFixed(2)}%` };
  },
  stated: (s) => [{ value: s.change, unit: 'pct' }],
});
