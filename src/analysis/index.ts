import type { Newsletter } from '../config/newsletter.js';
import type { Snapshot } from '../market/types.js';
import { basketMetrics, seriesMetrics, type Metrics } from './returns.js';
import { evaluateRules, type Signal } from './rules/index.js';

export type { Extreme, Metrics, Rank, Unit, WindowChange } from './returns.js';
export type { Mover, Rule, Signal, SignalKind, StatedChange, Topic } from './rules/index.js';
export { coreFigure, explainRule, ruleReferences, ruleSchema, SIGNAL_KINDS, statedChanges } from './rules/index.js';
export { basketNames, changeBetween, unitOf } from './returns.js';

export interface Analysis {
  asOf: string;
  /** By symbol, in config order: instruments first, then baskets. */
  metrics: Map<string, Metrics>;
  signals: Signal[];
}

/** Every number of the edition, computed once. Instruments without data are left out, not zeroed. */
export function analyze(snapshot: Snapshot, config: Pick<Newsletter, 'instruments' | 'baskets' | 'windows' | 'rules'>): Analysis {
  const bySymbol = new Map(snapshot.series.map((s) => [s.symbol, s]));
  const metrics = new Map<string, Metrics>();
  for (const instrument of config.instruments) {
    const series = bySymbol.get(instrument.symbol);
    if (series) metrics.set(instrument.symbol, seriesMetrics(instrument, series, snapshot.asOf, config.windows));
  }
  for (const basket of config.baskets) {
    const members = basket.members.map((symbol) => metrics.get(symbol));
    if (members.every((m): m is Metrics => m !== undefined)) {
      metrics.set(basket.symbol, basketMetrics(basket, members, config.windows, snapshot.asOf));
    }
  }
  return { asOf: snapshot.asOf, metrics, signals: evaluateRules(config.rules, metrics, snapshot.asOf) };
}
