/**
 * One instrument against another over a window ("the Russell 2000 beat the S&P 500 by 5.1 points").
 * Weekly comparisons carry their history: the streak, the last week the same side led by as much
 * (directional, so "not since" is true), the same comparison over the month, quarter or year, and
 * what a companion did alongside when its move agrees with the configured relation.
 */
import { z } from 'zod';
import { symbolSchema, windowSchema, type Window } from '../../config/primitives.js';
import { lookback } from '../history.js';
import { rms, type Metrics, type Unit } from '../returns.js';
import { changeOf, defineRuleKind, fmt, type Mover, ruleSchemaOf, type SignalBase, surprise } from './kind.js';

export interface RelativeSignal extends SignalBase {
  kind: 'relative';
  window: Window;
  leader: Mover;
  laggard: Mover;
  gap: number;
  /** Weekly only: weeks in a row the leader has led (1 = just this week). */
  streak: number | undefined;
  /** Weekly only: the last week in which the leader led the laggard by at least as much. */
  largestSince: string | undefined;
  /** Weekly only: a year of weeks passed without the leader ahead by this much. */
  largestInAYear: boolean;
  /** The two symbols in a fixed order: one comparison however the rules order them. */
  pair: string;
  /** The same comparison over a longer window, leader minus laggard (negative: the laggard led then). */
  longer: { window: Window; gap: number } | undefined;
  /** The companion's move, when it agrees with the rule's relation. */
  alongside: (Mover & { unit: Unit }) | undefined;
}

const LONGER: readonly Window[] = ['YTD', '3M', '1M'];
/** A longer-window gap smaller than this is not a contrast worth a clause. */
const LONGER_MIN_GAP = 2;
const WEEKS_IN_A_YEAR = 50;

/** Weekly gaps between two instruments, this week first, aligned by week. */
function weeklyGaps(a: Metrics, b: Metrics): Array<{ date: string; value: number }> {
  const n = Math.min(a.weekly.length, b.weekly.length);
  const out: Array<{ date: string; value: number }> = [];
  for (let k = 0; k < n && a.weekly[k]!.date === b.weekly[k]!.date; k++) out.push({ date: a.weekly[k]!.date, value: a.weekly[k]!.change - b.weekly[k]!.change });
  return out;
}

export const relative = defineRuleKind({
  schema: ruleSchemaOf('relative', {
    a: symbolSchema,
    b: symbolSchema,
    window: windowSchema,
    threshold: z.number().positive().describe('Gap between the two returns, in percentage points'),
    topic: z.enum(['leadership', 'breadth']).default('leadership').describe('Its section: who led (size, style), or breadth and concentration'),
    alongside: z
      .strictObject({
        symbol: symbolSchema.describe('Told beside the comparison, e.g. DGS2'),
        relation: z.enum(['same', 'inverse']).describe("inverse: told only when it moved against a's lead (yields down while small caps led)"),
        minChange: z.number().positive().describe('Its smallest move worth telling, in its unit'),
      })
      .optional(),
  }),
  references: (rule) => ({ symbols: [['a', rule.a], ['b', rule.b], ...(rule.alongside ? [['alongside', rule.alongside.symbol] as [string, string]] : [])], window: rule.window }),
  evaluate(rule, ctx): RelativeSignal[] {
    const a = changeOf(ctx, rule.a, rule.window);
    const b = changeOf(ctx, rule.b, rule.window);
    if (a === undefined || b === undefined || Math.abs(a - b) < rule.threshold) return [];
    const aLeads = a >= b;
    const [leader, laggard] = aLeads
      ? [
          { symbol: rule.a, change: a },
          { symbol: rule.b, change: b },
        ]
      : [
          { symbol: rule.b, change: b },
          { symbol: rule.a, change: a },
        ];
    const gap = leader.change - laggard.change;
    const gaps = weeklyGaps(ctx.metrics.get(leader.symbol)!, ctx.metrics.get(laggard.symbol)!);
    let streak: number | undefined;
    let largestSince: string | undefined;
    let largestInAYear = false;
    if (rule.window === '1W' && gaps.length > 1 && gaps[0]!.value === gap) {
      streak = 0;
      while (streak < gaps.length && gaps[streak]!.value > 0) streak++;
      const back = lookback(gaps);
      largestSince = back.since;
      largestInAYear = !back.since && gaps.length > WEEKS_IN_A_YEAR;
    }
    const longerWindow = LONGER.filter((w) => w !== rule.window && (w !== 'YTD' || ctx.asOf.slice(5, 7) >= '03')).find((w) => {
      const la = changeOf(ctx, leader.symbol, w);
      const lb = changeOf(ctx, laggard.symbol, w);
      return la !== undefined && lb !== undefined && Math.abs(la - lb) >= LONGER_MIN_GAP;
    });
    const longer = longerWindow ? { window: longerWindow, gap: changeOf(ctx, leader.symbol, longerWindow)! - changeOf(ctx, laggard.symbol, longerWindow)! } : undefined;
    let alongside: RelativeSignal['alongside'];
    if (rule.alongside) {
      const c = changeOf(ctx, rule.alongside.symbol, rule.window);
      // a's lead over b (positive when a led) against the companion's move: same sign, or opposite for "inverse".
      const agrees = c !== undefined && Math.sign(a - b) * Math.sign(c) === (rule.alongside.relation === 'same' ? 1 : -1);
      if (agrees && Math.abs(c) >= rule.alongside.minChange) alongside = { symbol: rule.alongside.symbol, change: c, unit: ctx.metrics.get(rule.alongside.symbol)!.unit };
    }
    const usual = rms(gaps.slice(1).map((g) => g.value));
    return [
      {
        id: rule.id,
        kind: 'relative',
        topic: rule.topic,
        window: rule.window,
        leader,
        laggard,
        gap,
        pair: [rule.a, rule.b].sort().join('/'),
        streak,
        largestSince,
        largestInAYear,
        longer,
        alongside,
        // A week's news outranks the month's: longer comparisons are context more often than story.
        magnitude: (rule.window === '1W' ? 0.9 : 0.6) * surprise(gap, usual, rule.window, rule.threshold),
      },
    ];
  },
  explain: (rule, ctx) => {
    const a = changeOf(ctx, rule.a, rule.window);
    const b = changeOf(ctx, rule.b, rule.window);
    return {
      condition: `|${rule.a} - ${rule.b}| over ${rule.window} >= ${rule.threshold} pts`,
      observed: a === undefined || b === undefined ? 'no data' : `${fmt(a)} vs ${fmt(b)}: gap ${fmt(Math.abs(a - b))}`,
    };
  },
  stated: (s) => [
    { value: s.leader.change, unit: 'pct' },
    { value: s.laggard.change, unit: 'pct' },
    ...(s.alongside ? [{ value: s.alongside.change, unit: s.alongside.unit }] : []),
  ],
});
