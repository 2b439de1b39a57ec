/**
 * The broad market's week: the anchor of every lede. Always fires; its news value grows with how
 * unusual the move is and how long it has been since a week like it ("the worst week since 1933").
 */
import { symbolSchema } from '../../config/primitives.js';
import type { Point } from '../../market/types.js';
import type { Lookback } from '../history.js';
import type { Metrics } from '../returns.js';
import type { Phase } from '../regime.js';
import { defineRuleKind, fmt, ruleSchemaOf, type SignalBase, surprise } from './kind.js';

export interface MarketSignal extends SignalBase {
  kind: 'market';
  symbol: string;
  change: number;
  level: number;
  sessions: number;
  best: boolean;
  /** The last week as good (or as bad), in full history when `onRecord` may be claimed. */
  rank: Lookback & { weeks: number; onRecord: boolean; notable: boolean };
  /** The year to date, only when the week changed it in a way a reader needs told (yearTurn). */
  ytd: number | undefined;
  /** Why the year is told: the week turned it from a loss to a gain or back ('sign'), or past a multiple of 10% ('mark'). */
  yearTurn: 'sign' | 'mark' | undefined;
  /** The first close of the history the ranking searched. */
  historyFrom: string;
  /** Where the market stands at the close, unless a crossing this week tells it itself. */
  standing: { phase: Phase; fromPeak: number; peak: Point; since: Point } | undefined;
}

/** The year's change a week ago, from this week's year to date and the week (both from one year's base). */
export function yearTurn(ytd: number | undefined, week: number): 'sign' | 'mark' | undefined {
  if (ytd === undefined) return undefined;
  const before = ((1 + ytd / 100) / (1 + week / 100) - 1) * 100;
  if (Math.sign(before) !== Math.sign(ytd) && Math.round(ytd * 10) !== 0) return 'sign';
  return Math.floor(Math.abs(ytd) / 10) > Math.floor(Math.abs(before) / 10) && Math.sign(before) === Math.sign(ytd) ? 'mark' : undefined;
}

/** A quarter: a look-back shorter than this is not worth a sentence ("the best week since August"). */
const NOTABLE_WEEKS = 13;

/** The year to date when the week turned it (the year longer than the week), else nothing. */
function yearOf(ytd: Metrics['windows']['YTD'], week: NonNullable<Metrics['windows']['1W']>): Pick<MarketSignal, 'ytd' | 'yearTurn'> {
  const change = ytd && ytd.base?.date !== week.base?.date ? ytd.change : undefined;
  const turn = yearTurn(change, week.change);
  return { ytd: turn ? change : undefined, yearTurn: turn };
}

export const market = defineRuleKind({
  schema: ruleSchemaOf('market', {
    instrument: symbolSchema.describe('The broad market whose week leads the email, e.g. ^GSPC'),
  }),
  references: (rule) => ({ symbols: [['instrument', rule.instrument]] }),
  evaluate(rule, { metrics }): MarketSignal[] {
    const m = metrics.get(rule.instrument);
    const week = m?.windows['1W'];
    if (!m?.last || !week || m.sessions === undefined || !m.weekRank) return [];
    const notable = m.weekRank.span >= NOTABLE_WEEKS && week.change !== 0;
    const regime = m.regime;
    const standing =
      regime && regime.now.phase !== 'bull' && regime.weekAgo.phase === regime.now.phase
        ? { phase: regime.now.phase, fromPeak: regime.now.fromPeak, peak: regime.now.peak, since: regime.now.since }
        : undefined;
    // The broad market's week is the default story: it leads unless something else is news.
    const bonus = 0.8 + (notable ? 1.5 * Math.log2(m.weekRank.span / NOTABLE_WEEKS) + 1 : 0);
    return [
      {
        id: rule.id,
        kind: 'market',
        topic: 'market',
        symbol: rule.instrument,
        change: week.change,
        level: m.last.close,
        sessions: m.sessions,
        best: week.change >= 0,
        rank: { ...m.weekRank, weeks: m.weekRank.span, notable },
        ...yearOf(m.windows.YTD, week),
        historyFrom: m.historyFrom ?? m.last.date,
        standing,
        magnitude: surprise(week.change, m.usualWeekly, '1W', 2) + bonus,
      },
    ];
  },
  explain: (rule, { metrics }) => {
    const m = metrics.get(rule.instrument);
    return {
      condition: `always: the week of ${rule.instrument}, ranked against its whole history`,
      observed: `${fmt(m?.windows['1W']?.change)}%${m?.weekRank?.since ? `, biggest in that direction since ${m.weekRank.since}` : ''}`,
    };
  },
  stated: (s) => [{ value: s.change, unit: 'pct' }, ...(s.ytd === undefined ? [] : [{ value: s.ytd, unit: 'pct' as const }])],
});
