/**
 * Bull, correction and bear, by the market's convention (closes only):
 * - a bear market begins at a close 20% or more below the high of the current bull market;
 * - it ends at a close 20% or more above its lowest close, which starts a new bull market whose
 *   highest close since then is the reference high (so an old peak never counts again);
 * - a correction is a close 10% to 20% below the current bull market's high.
 */
import type { Point } from '../market/types.js';

export type Phase = 'bull' | 'correction' | 'bear';

export interface Regime {
  phase: Phase;
  /** The bull market's highest close: the peak a correction or bear market is measured from. */
  peak: Point;
  /** In a bear market: its lowest close so far. */
  trough?: Point;
  /** In a bull market that began at a bear-market low: that low. */
  bullFrom?: Point;
  /** Percent below the peak (0 at a high). */
  fromPeak: number;
  /** The close at which this phase began (the crossing). */
  since: Point;
  /** Did any close since the peak reach correction depth (for "back in a correction")? */
  correctedSincePeak: boolean;
}

const BEAR = 0.8;
const CORRECTION = 0.9;
const NEW_BULL = 1.2;

/** The regime at each of the given closes (indices ascending), walking the history once from its start. */
export function regimesAt(points: readonly Point[], indices: readonly number[]): Regime[] {
  const out: Regime[] = [];
  const lastIndex = indices.at(-1) ?? -1;
  let wanted = 0;
  let peak = points[0]!;
  let trough: Point | undefined;
  let bullFrom: Point | undefined;
  let corrected = false;
  let phase: Phase = 'bull';
  let since = points[0]!;
  for (let i = 0; i <= lastIndex; i++) {
    const p = points[i]!;
    if (trough) {
      if (p.close < trough.close) trough = p;
      if (p.close >= trough.close * NEW_BULL) {
        bullFrom = trough;
        trough = undefined;
        peak = p;
        corrected = false;
      }
    } else if (p.close > peak.close) {
      peak = p;
      corrected = false;
    } else if (p.close <= peak.close * BEAR) {
      trough = p;
    }
    const ratio = p.close / peak.close;
    const next: Phase = trough ? 'bear' : ratio <= CORRECTION ? 'correction' : 'bull';
    if (next !== phase) since = p;
    phase = next;
    if (phase === 'correction') corrected = true;
    while (indices[wanted] === i) {
      out.push({ phase, peak, trough, bullFrom, fromPeak: (ratio - 1) * 100, correctedSincePeak: corrected, since });
      wanted++;
    }
  }
  return out;
}
