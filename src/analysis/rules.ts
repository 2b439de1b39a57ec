/**
 * Config rules -> signals. A signal is a fact the data supports plus a magnitude for ranking. Every
 * number a sentence will state is computed here; commentary only formats them.
 */
import type { Rule, Window } from '../config/newsletter.js';
import type { Metrics, Unit } from './returns.js';

export interface Mover {
  symbol: string;
  change: number;
}

interface SignalBase {
  /** The rule id: stable across editions, so phrasing choice and history can key on it. */
  id: string;
  magnitude: number;
}

export type Signal = SignalBase &
  (
    | { kind: 'relative'; window: Window; leader: Mover; laggard: Mover; gap: number; threshold: number }
    | { kind: 'move'; window: Window; symbol: string; unit: Unit; change: number; threshold: number; level: number }
    | { kind: 'level'; symbol: string; unit: Unit; level: number; op: 'at-or-above' | 'at-or-below'; value: number; weekChange?: number }
    | { kind: 'record'; symbol: string; extreme: 'high' | 'low'; level: number; previous: number; previousDate: string }
    | { kind: 'leaders'; window: Window; group: string; leaders: Mover[]; laggards: Mover[]; spread: number }
  );

export type SignalKind = Signal['kind'];

/** Weight of leaders below anything a threshold fired: they fill a section, they rarely lead. */
const LEADERS_WEIGHT = 0.2;
const RECORD_MAGNITUDE = 1.3;

export function evaluateRules(rules: readonly Rule[], metrics: ReadonlyMap<string, Metrics>): Signal[] {
  const change = (symbol: string, window: Window) => metrics.get(symbol)?.windows[window]?.change;
  const signals: Signal[] = [];
  for (const rule of rules) {
    switch (rule.kind) {
      case 'relative': {
        const a = change(rule.a, rule.window);
        const b = change(rule.b, rule.window);
        if (a === undefined || b === undefined) break;
        const gap = Math.abs(a - b);
        if (gap < rule.threshold) break;
        const [leader, laggard] = a >= b ? [{ symbol: rule.a, change: a }, { symbol: rule.b, change: b }] : [{ symbol: rule.b, change: b }, { symbol: rule.a, change: a }];
        signals.push({ id: rule.id, kind: 'relative', window: rule.window, leader, laggard, gap, threshold: rule.threshold, magnitude: gap / rule.threshold });
        break;
      }
      case 'move': {
        const m = metrics.get(rule.instrument);
        const c = change(rule.instrument, rule.window);
        if (!m || c === undefined || Math.abs(c) < rule.threshold) break;
        signals.push({
          id: rule.id, kind: 'move', window: rule.window, symbol: rule.instrument, unit: m.unit, change: c,
          threshold: rule.threshold, level: m.last?.close ?? Number.NaN, magnitude: Math.abs(c) / rule.threshold,
        });
        break;
      }
      case 'level': {
        const m = metrics.get(rule.instrument);
        const level = m?.last?.close;
        if (!m || level === undefined) break;
        const crossed = rule.op === 'at-or-above' ? level >= rule.value : level <= rule.value;
        if (!crossed) break;
        signals.push({
          id: rule.id, kind: 'level', symbol: rule.instrument, unit: m.unit, level, op: rule.op, value: rule.value,
          weekChange: m.windows['1W']?.change, magnitude: rule.op === 'at-or-above' ? level / rule.value : rule.value / level,
        });
        break;
      }
      case 'record': {
        for (const m of metrics.values()) {
          if (m.group !== rule.group || !m.last) continue;
          for (const extreme of ['high', 'low'] as const) {
            if (rule.extreme !== 'both' && rule.extreme !== extreme) continue;
            if (!(extreme === 'high' ? m.newHigh52 : m.newLow52)) continue;
            const previous = extreme === 'high' ? m.high52Before : m.low52Before;
            if (!previous) continue;
            signals.push({
              id: `${rule.id}:${m.symbol}:${extreme}`, kind: 'record', symbol: m.symbol, extreme, level: m.last.close,
              previous: previous.close, previousDate: previous.date, magnitude: RECORD_MAGNITUDE,
            });
          }
        }
        break;
      }
      case 'leaders': {
        const members = [...metrics.values()]
          .filter((m) => m.group === rule.group)
          .map((m) => ({ symbol: m.symbol, change: m.windows[rule.window]?.change }))
          .filter((m): m is Mover => m.change !== undefined)
          .sort((x, y) => y.change - x.change);
        const count = Math.min(rule.count, Math.floor(members.length / 2));
        if (count < 1) break;
        const leaders = members.slice(0, count);
        const laggards = members.slice(-count).reverse();
        const spread = leaders[0]!.change - laggards[0]!.change;
        signals.push({ id: rule.id, kind: 'leaders', window: rule.window, group: rule.group, leaders, laggards, spread, magnitude: LEADERS_WEIGHT * (1 + spread / 10) });
        break;
      }
    }
  }
  return keepStrongestLevels(signals);
}

/** Of several level thresholds crossed on one instrument (VIX >= 20 and >= 30), only the most extreme speaks. */
function keepStrongestLevels(signals: Signal[]): Signal[] {
  const strongest = new Map<string, Extract<Signal, { kind: 'level' }>>();
  for (const s of signals) {
    if (s.kind !== 'level') continue;
    const key = `${s.symbol}:${s.op}`;
    const current = strongest.get(key);
    const moreExtreme = !current || (s.op === 'at-or-above' ? s.value > current.value : s.value < current.value);
    if (moreExtreme) strongest.set(key, s);
  }
  return signals.filter((s) => s.kind !== 'level' || strongest.get(`${s.symbol}:${s.op}`) === s);
}
