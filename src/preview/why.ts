/** "Why": every rule with its threshold, what the data showed, whether it fired, and the ranking. */
import type { Analysis } from '../analysis/index.js';
import type { Rule } from '../config/newsletter.js';

export interface RuleExplanation {
  id: string;
  kind: Rule['kind'];
  condition: string;
  observed: string;
  fired: boolean;
  magnitude?: number;
  rank?: number;
}

const n = (x: number | undefined, digits = 2) => (x === undefined ? 'no data' : x.toFixed(digits));

export function explainRules(rules: readonly Rule[], analysis: Analysis, ranking: ReadonlyArray<{ id: string; magnitude: number; used: boolean }>): RuleExplanation[] {
  const change = (symbol: string, window: string) => analysis.metrics.get(symbol)?.windows[window as '1W']?.change;
  return rules.map((rule) => {
    const fired = ranking.filter((r) => r.id === rule.id || r.id.startsWith(`${rule.id}:`));
    const rank = fired.length ? ranking.indexOf(fired[0]!) + 1 : undefined;
    const base = { id: rule.id, kind: rule.kind, fired: fired.length > 0, magnitude: fired[0]?.magnitude, rank };
    switch (rule.kind) {
      case 'relative': {
        const a = change(rule.a, rule.window);
        const b = change(rule.b, rule.window);
        return { ...base, condition: `|${rule.a} - ${rule.b}| over ${rule.window} >= ${rule.threshold} pts`, observed: a === undefined || b === undefined ? 'no data' : `${n(a)} vs ${n(b)}: gap ${n(Math.abs(a - b))}` };
      }
      case 'move':
        return { ...base, condition: `|${rule.instrument}| over ${rule.window} >= ${rule.threshold}`, observed: n(change(rule.instrument, rule.window)) };
      case 'level':
        return { ...base, condition: `${rule.instrument} ${rule.op} ${rule.value}`, observed: n(analysis.metrics.get(rule.instrument)?.last?.close) };
      case 'record':
        return { ...base, condition: `a new 52-week ${rule.extreme === 'both' ? 'high or low' : rule.extreme} in ${rule.group}`, observed: fired.map((f) => f.id.split(':').slice(1).join(' ')).join(', ') || 'none' };
      case 'leaders':
        return { ...base, condition: `top and bottom ${rule.count} of ${rule.group} over ${rule.window}`, observed: fired.length ? 'ranked' : 'too few instruments' };
      case 'drawdown':
        return { ...base, condition: `${rule.group} crossing ${rule.thresholds.join('% or ')}% below its peak this week`, observed: fired.map((f) => f.id.split(':')[1]).join(', ') || 'none crossed' };
      case 'curve':
        return { ...base, condition: `|change of ${rule.long} - ${rule.short}| over ${rule.window} >= ${rule.threshold} bp, or a change of sign`, observed: `${n(change(rule.long, rule.window), 1)} bp vs ${n(change(rule.short, rule.window), 1)} bp` };
      case 'biggest-day':
        return { ...base, condition: `the week's largest one-session move in ${rule.group} >= ${rule.threshold}%`, observed: fired.length ? 'reached' : 'below' };
    }
  });
}
