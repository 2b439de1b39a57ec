/**
 * Aggregation: parallel facts in one sentence. Two or more instruments of a section whose prices moved
 * over the same window, the same way, by similar amounts are told together ("The Nasdaq and the Russell
 * 2000 both fell more than 7% this week"), the bound true of each move as shown (the largest whole
 * percent below every one). The paragraph's id joins its signals' ids, so what it tells (the story's
 * evidence, each instrument's typed facts) is still known per instrument.
 */
import type { Signal } from '../../analysis/index.js';
import { shown } from '../../shared/format.js';

type Move = Extract<Signal, { kind: 'move' }>;

/** Joins the ids of the signals one aggregated paragraph tells. */
const JOINED = '+';
export const joinIds = (ids: readonly string[]): string => ids.join(JOINED);
/** Every signal id a list of paragraph ids tells. */
export const toldIds = (ids: readonly string[]): string[] => ids.flatMap((id) => id.split(JOINED));

/** Moves told together are within a fifth of the largest: 7.3% beside 8.9%, not 7.3% beside 12%. */
const SIMILAR = 0.8;

export interface Parallel {
  moves: Move[];
  up: boolean;
  /** The whole percent every move exceeds, as shown: "more than 7%". */
  bound: number;
}

/** The largest whole percent strictly below every size as shown (7.0% is not "more than 7%"); none below 2%: "more than 1%" says nothing. */
export function boundOf(changes: readonly number[]): number | undefined {
  const smallest = Math.min(...changes.map((c) => Math.abs(shown(c, 'pct'))));
  const bound = Math.ceil(smallest) - 1;
  return bound >= 2 ? bound : undefined;
}

/** The section's price moves that can be told as one, largest first in each group. */
export function parallelMoves(signals: readonly Signal[]): Parallel[] {
  const groups = new Map<string, Move[]>();
  for (const s of signals) {
    if (s.kind !== 'move' || s.unit !== 'pct' || shown(s.change, 'pct') === 0) continue;
    const key = `${s.window}:${s.change > 0}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out: Parallel[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
    const moves = sorted.filter((m) => Math.abs(m.change) >= SIMILAR * Math.abs(sorted[0]!.change));
    const bound = boundOf(moves.map((m) => m.change));
    if (moves.length >= 2 && bound !== undefined) out.push({ moves, up: moves[0]!.change > 0, bound });
  }
  return out;
}

/** "The Nasdaq and the Russell 2000 both fell more than 7% this week." */
export function sayTogether(p: Parallel, words: { list(symbols: readonly string[], capital?: boolean): string; period(window: Move['window']): string }): string {
  const all = p.moves.length === 2 ? 'both' : 'all';
  return `${words.list(
    p.moves.map((m) => m.symbol),
    true,
  )} ${all} ${p.up ? 'rose' : 'fell'} more than ${p.bound}% ${words.period(p.moves[0]!.window)}.`;
}
