/**
 * Crossings between bull market, correction and bear market (see ../regime.ts for the convention),
 * told only in the week they happen: "crossed into", "back in" (a second dip since the same peak),
 * or "a new bull market" 20% above the bear market's low.
 */
import { groupSchema } from '../../config/primitives.js';
import type { Point } from '../../market/types.js';
import { defineRuleKind, ruleSchemaOf, type SignalBase } from './kind.js';

export interface RegimeSignal extends SignalBase {
  kind: 'regime';
  symbol: string;
  event: 'bear' | 'correction' | 'bull';
  /** A correction again since the same peak, after a recovery above the line. */
  again: boolean;
  level: number;
  /** The close that crossed the line, and how far from the peak (or the low) it was. */
  crossed: Point;
  crossedFrom: number;
  /** The peak the decline is measured from (for a new bull market: the peak of the bear market's start). */
  peak: Point;
  fromPeak: number;
  /** A new bull market: the bear market's lowest close, and how far above it the market closed. */
  low: Point | undefined;
  fromLow: number | undefined;
  /** Other instruments of the group that made the same crossing this week (told in one sentence). */
  others: string[];
}

/** A crossing outranks any move in VIX points or basis points (capped below these) and most weekly moves. */
const NEWS: Record<RegimeSignal['event'], number> = { bear: 9, bull: 8, correction: 7 };

/** Four indices into a correction in one week is one story: the first (in config order) tells it, naming the rest. */
function groupSameCrossings(signals: RegimeSignal[]): RegimeSignal[] {
  const groups = new Map<string, RegimeSignal[]>();
  for (const s of signals) groups.set(`${s.event}:${s.again}`, [...(groups.get(`${s.event}:${s.again}`) ?? []), s]);
  return [...groups.values()].map(([lead, ...rest]) => ({ ...lead!, others: rest.map((s) => s.symbol), magnitude: lead!.magnitude + 0.5 * rest.length }));
}

export const regime = defineRuleKind({
  schema: ruleSchemaOf('regime', {
    group: groupSchema.describe('Instruments whose bull market, correction or bear market crossings are told'),
  }),
  references: (rule) => ({ symbols: [], group: rule.group }),
  evaluate(rule, { metrics }): RegimeSignal[] {
    const out: RegimeSignal[] = [];
    for (const m of metrics.values()) {
      if (m.group !== rule.group || !m.regime || !m.last) continue;
      const { now, weekAgo } = m.regime;
      if (now.phase === weekAgo.phase) continue;
      const crossed = now.since;
      const base = { id: `${rule.id}:${m.symbol}`, kind: 'regime' as const, topic: 'market' as const, symbol: m.symbol, level: m.last.close, crossed };
      if (now.phase === 'bear' || now.phase === 'correction') {
        if (weekAgo.phase === 'bear') continue; // a correction can't follow a bear market without a new bull first
        const again = now.phase === 'correction' && weekAgo.correctedSincePeak;
        out.push({
          ...base,
          event: now.phase,
          again,
          peak: now.peak,
          fromPeak: now.fromPeak,
          crossedFrom: (crossed.close / now.peak.close - 1) * 100,
          low: undefined,
          fromLow: undefined,
          others: [],
          magnitude: NEWS[now.phase] - (again ? 1.5 : 0),
        });
      } else if (weekAgo.phase === 'bear' && now.bullFrom) {
        out.push({
          ...base,
          event: 'bull',
          again: false,
          peak: weekAgo.peak,
          fromPeak: now.fromPeak,
          low: now.bullFrom,
          crossedFrom: (crossed.close / now.bullFrom.close - 1) * 100,
          fromLow: (m.last.close / now.bullFrom.close - 1) * 100,
          others: [],
          magnitude: NEWS.bull,
        });
      }
    }
    return groupSameCrossings(out);
  },
  explain: (rule, { metrics }) => {
    const phases = [...metrics.values()]
      .filter((m) => m.group === rule.group && m.regime)
      .map((m) => `${m.symbol} ${m.regime!.weekAgo.phase} -> ${m.regime!.now.phase} (${m.regime!.now.fromPeak.toFixed(1)}% from its ${m.regime!.now.peak.date} peak)`);
    return {
      condition: `${rule.group}: a close 10% (correction) or 20% (bear market) below the bull market's high, or 20% above a bear market's low, this week`,
      observed: phases.join('; ') || 'no data',
    };
  },
  stated: () => [],
});
