/**
 * Config rules -> signals. A signal is a fact the data supports plus a magnitude for ranking. Every
 * number a sentence will state is computed here; commentary only formats them.
 */
import type { Rule, Window } from '../config/newsletter.js';
import { rms, type Metrics, type Unit } from './returns.js';

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
    | {
        kind: 'relative'; window: Window; leader: Mover; laggard: Mover; gap: number; threshold: number;
        /** Weekly only: weeks in a row the leader has led (1 = just this week). */
        streak?: number;
        /** Weekly only: the last week with a gap at least this wide, or undefined if none in a year. */
        largestSince?: string;
        /** Weekly only: did a year of weeks pass without a gap this wide? */
        largestInAYear?: boolean;
      }
    | { kind: 'move'; window: Window; symbol: string; unit: Unit; change: number; threshold: number; level: number }
    | { kind: 'level'; symbol: string; unit: Unit; level: number; op: 'at-or-above' | 'at-or-below'; value: number; weekChange?: number; label: string | undefined }
    | { kind: 'record'; symbol: string; extreme: 'high' | 'low'; level: number; previous: number; previousDate: string; allTime: boolean }
    | {
        kind: 'leaders'; window: Window; group: string; leaders: Mover[]; laggards: Mover[]; spread: number;
        /** Weekly only: the member that climbed most places in the ranking since last week (3 or more). */
        climber: { symbol: string; from: number; to: number } | undefined;
      }
    | { kind: 'drawdown'; symbol: string; threshold: number; fromPeak: number; peak: number; peakDate: string; name: 'correction' | 'bear market' | 'drawdown' }
    | { kind: 'biggest-day'; symbol: string; date: string; change: number; threshold: number }
    | {
        kind: 'curve'; window: Window; long: Mover; short: Mover; threshold: number;
        /** long minus short, in basis points, now and its change over the window. */
        spread: number; spreadChange: number;
        /** Did the spread change sign (invert, or turn positive again) over the window? */
        crossedZero: boolean;
        companion?: Mover | undefined;
      }
  );

export type SignalKind = Signal['kind'];

/** Weight of leaders below anything a threshold fired: they fill a section, they rarely lead. */
const LEADERS_WEIGHT = 0.2;
const RECORD_MAGNITUDE = 1.3;

/** Weeks in a window, for scaling a usual weekly move to it (moves grow with the square root of time). */
const WEEKS: Partial<Record<Window, number>> = { '1W': 1, '1M': 4.33, '3M': 13 };

/** How unusual a move is: against the instrument's own usual move when known, else against the threshold. */
function surprise(value: number, usualWeekly: number | undefined, window: Window, threshold: number): number {
  const weeks = WEEKS[window];
  if (usualWeekly && weeks) return Math.abs(value) / (usualWeekly * Math.sqrt(weeks));
  return Math.abs(value) / threshold;
}

/** Weekly gaps between two instruments, this week first, aligned by week. */
function weeklyGaps(a: Metrics, b: Metrics): Array<{ date: string; gap: number }> {
  const n = Math.min(a.weekly.length, b.weekly.length);
  return Array.from({ length: n }, (_, k) => ({ date: a.weekly[k]!.date, gap: a.weekly[k]!.change - b.weekly[k]!.change }));
}

/** Sector rotation: who moved up the ranking most since last week (ranks are 1-based, best first). */
function biggestClimber(members: readonly Metrics[]): { symbol: string; from: number; to: number } | undefined {
  const rank = (k: number) => {
    const order = members.filter((m) => m.weekly[k]).sort((a, b) => b.weekly[k]!.change - a.weekly[k]!.change).map((m) => m.symbol);
    return new Map(order.map((symbol, i) => [symbol, i + 1]));
  };
  const now = rank(0);
  const before = rank(1);
  let best: { symbol: string; from: number; to: number } | undefined;
  for (const [symbol, to] of now) {
    const from = before.get(symbol);
    if (from !== undefined && from - to >= 3 && (!best || from - to > best.from - best.to)) best = { symbol, from, to };
  }
  return best;
}

function drawdownName(threshold: number): 'correction' | 'bear market' | 'drawdown' {
  return threshold === 10 ? 'correction' : threshold === 20 ? 'bear market' : 'drawdown';
}

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
        const gaps = weeklyGaps(metrics.get(leader.symbol)!, metrics.get(laggard.symbol)!);
        const usual = rms(gaps.slice(1).map((g) => g.gap));
        // Keys always present (templates are strict), values only for weekly comparisons.
        const context: { streak?: number; largestSince?: string; largestInAYear?: boolean } = { streak: undefined, largestSince: undefined, largestInAYear: false };
        if (rule.window === '1W' && gaps.length > 1) {
          let streak = 0;
          while (streak < gaps.length && gaps[streak]!.gap > 0) streak++;
          const wider = gaps.slice(1).find((g) => Math.abs(g.gap) >= gap);
          Object.assign(context, { streak, largestSince: wider?.date, largestInAYear: !wider && gaps.length > 50 });
        }
        signals.push({ id: rule.id, kind: 'relative', window: rule.window, leader, laggard, gap, threshold: rule.threshold, ...context, magnitude: surprise(gap, usual, rule.window, rule.threshold) });
        break;
      }
      case 'move': {
        const m = metrics.get(rule.instrument);
        const c = change(rule.instrument, rule.window);
        if (!m || c === undefined || Math.abs(c) < rule.threshold) break;
        signals.push({
          id: rule.id, kind: 'move', window: rule.window, symbol: rule.instrument, unit: m.unit, change: c,
          threshold: rule.threshold, level: m.last?.close ?? Number.NaN, magnitude: surprise(c, m.usualWeekly, rule.window, rule.threshold),
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
          weekChange: m.windows['1W']?.change, label: rule.label, magnitude: rule.op === 'at-or-above' ? level / rule.value : rule.value / level,
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
            const allTime = extreme === 'high' && m.newAllTimeHigh;
            signals.push({
              id: `${rule.id}:${m.symbol}:${extreme}`, kind: 'record', symbol: m.symbol, extreme, level: m.last.close,
              previous: previous.close, previousDate: previous.date, allTime, magnitude: RECORD_MAGNITUDE * (allTime ? 1.4 : 1),
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
        signals.push({
          id: rule.id, kind: 'leaders', window: rule.window, group: rule.group, leaders, laggards, spread,
          climber: rule.window === '1W' ? biggestClimber(members.map((m) => metrics.get(m.symbol)!)) : undefined,
          magnitude: LEADERS_WEIGHT * (1 + spread / 10),
        });
        break;
      }
      case 'curve': {
        const long = metrics.get(rule.long);
        const short = metrics.get(rule.short);
        const lc = change(rule.long, rule.window);
        const sc = change(rule.short, rule.window);
        if (!long?.last || !short?.last || lc === undefined || sc === undefined) break;
        const spread = (long.last.close - short.last.close) * 100;
        const spreadChange = lc - sc;
        const crossedZero = Math.sign(spread) !== Math.sign(spread - spreadChange) && spread !== 0;
        if (Math.abs(spreadChange) < rule.threshold && !crossedZero) break;
        const companionChange = rule.companion ? change(rule.companion, rule.window) : undefined;
        signals.push({
          id: rule.id, kind: 'curve', window: rule.window, long: { symbol: rule.long, change: lc }, short: { symbol: rule.short, change: sc },
          threshold: rule.threshold, spread, spreadChange, crossedZero,
          companion: rule.companion && companionChange !== undefined ? { symbol: rule.companion, change: companionChange } : undefined,
          magnitude: Math.abs(spreadChange) / rule.threshold + (crossedZero ? 1 : 0),
        });
        break;
      }
      case 'drawdown': {
        for (const m of metrics.values()) {
          if (m.group !== rule.group || !m.drawdown) continue;
          // The deepest threshold crossed this week (from above it a week ago to below it now).
          const crossed = [...rule.thresholds].sort((x, y) => y - x).find((t) => m.drawdown!.now <= -t && m.drawdown!.weekAgo > -t);
          if (crossed === undefined) continue;
          signals.push({
            id: `${rule.id}:${m.symbol}`, kind: 'drawdown', symbol: m.symbol, threshold: crossed, fromPeak: m.drawdown.now, peak: m.drawdown.peak.close,
            peakDate: m.drawdown.peak.date, name: drawdownName(crossed), magnitude: 1.5 + crossed / 10,
          });
        }
        break;
      }
      case 'biggest-day': {
        const days = [...metrics.values()].filter((m) => m.group === rule.group && m.unit === 'pct' && m.biggestDay);
        const biggest = days.sort((x, y) => Math.abs(y.biggestDay!.change) - Math.abs(x.biggestDay!.change))[0];
        if (!biggest || Math.abs(biggest.biggestDay!.change) < rule.threshold) break;
        const usualDay = biggest.usualWeekly ? biggest.usualWeekly / Math.sqrt(5) : undefined;
        signals.push({
          id: rule.id, kind: 'biggest-day', symbol: biggest.symbol, date: biggest.biggestDay!.date, change: biggest.biggestDay!.change, threshold: rule.threshold,
          magnitude: 0.5 * (usualDay ? Math.abs(biggest.biggestDay!.change) / usualDay / 2 : Math.abs(biggest.biggestDay!.change) / rule.threshold),
        });
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
