/**
 * The typed facts a sentence states: what truth.ts checks against the snapshot's closes, in place of
 * reading figures back out of the text. Each realiser's kind says which facts its sentence states
 * (`factsOf`); compose carries them per paragraph; an aggregated sentence keeps each instrument's own.
 */
import { z } from 'zod';
import type { Signal } from '../analysis/index.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const unit = z.enum(['pct', 'bp', 'pt']);
const extreme = z.enum(['high', 'low']);

export const factSchema = z.discriminatedUnion('kind', [
  /** A change over a window ending on `date` (the week: from the previous calendar week's last close). */
  z.strictObject({ kind: z.literal('move'), symbol: z.string(), window: z.string(), date, change: z.number(), unit }),
  /** A close on a day. */
  z.strictObject({ kind: z.literal('level'), symbol: z.string(), date, close: z.number() }),
  /** A record close: beyond every earlier close (allTime), or beyond every close after `since`, which was at least as extreme. */
  z.strictObject({ kind: z.literal('record'), symbol: z.string(), extreme, date, close: z.number(), since: date.optional(), allTime: z.boolean() }),
  /** "Its biggest weekly gain since": the week ending `since` moved as far the same way, no week after it did. */
  z.strictObject({ kind: z.literal('since'), symbol: z.string(), date, change: z.number(), unit, since: date }),
  /** The gap between two instruments' weekly returns, in percentage points (`a` led). */
  z.strictObject({ kind: z.literal('gap'), a: z.string(), b: z.string(), date, points: z.number() }),
  /** A regime told from its peak: the peak close, and how far below it the last close is. */
  z.strictObject({
    kind: z.literal('regime'),
    symbol: z.string(),
    regime: z.enum(['bear', 'correction', 'bull']),
    date,
    peak: z.strictObject({ date, close: z.number() }),
    fromPeak: z.number(),
  }),
]);
export type Fact = z.infer<typeof factSchema>;

type Of<K extends Signal['kind']> = Extract<Signal, { kind: K }>;

/** Each kind's facts, as its realiser's sentence states them; `dateOf` gives an instrument's last close's day. */
type DateOf = (symbol: string) => string;
const FACTS: { [K in Signal['kind']]: (s: Of<K>, dateOf: DateOf) => Fact[] } = {
  market: (s, dateOf, date = dateOf(s.symbol)) => [
    { kind: 'move', symbol: s.symbol, window: '1W', date, change: s.change, unit: 'pct' },
    { kind: 'level', symbol: s.symbol, date, close: s.level },
    ...(s.rank.since ? [{ kind: 'since' as const, symbol: s.symbol, date, change: s.change, unit: 'pct' as const, since: s.rank.since }] : []),
  ],
  move: (s, dateOf, date = dateOf(s.symbol)) => [
    { kind: 'move', symbol: s.symbol, window: s.window, date, change: s.change, unit: s.unit },
    { kind: 'level', symbol: s.symbol, date, close: s.level },
    ...(s.since && s.window === '1W' ? [{ kind: 'since' as const, symbol: s.symbol, date, change: s.change, unit: s.unit, since: s.since }] : []),
  ],
  level: (s, dateOf, date = dateOf(s.symbol)) => [{ kind: 'level', symbol: s.symbol, date, close: s.level }],
  record: (s) => [{ kind: 'record', symbol: s.symbol, extreme: s.extreme, date: s.record.date, close: s.record.close, since: s.since?.date, allTime: s.allTime }],
  relative: (s, dateOf) => (s.window === '1W' ? [{ kind: 'gap', a: s.leader.symbol, b: s.laggard.symbol, date: dateOf(s.leader.symbol), points: s.gap }] : []),
  regime: (s, dateOf) => (s.event === 'bull' ? [] : [{ kind: 'regime', symbol: s.symbol, regime: s.event, date: dateOf(s.symbol), peak: s.peak, fromPeak: s.fromPeak }]),
  curve: () => [],
  leaders: () => [],
  'biggest-day': () => [],
};

/** The facts a signal's sentence states, validated: a realiser that states a malformed fact fails loudly. */
export function factsOf(signal: Signal, dateOf: DateOf): Fact[] {
  return (FACTS[signal.kind] as (s: Signal, dateOf: DateOf) => Fact[])(signal, dateOf).map((f) => factSchema.parse(f));
}
