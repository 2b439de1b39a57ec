/** "Why": every rule with its condition, what the data showed, whether it fired, and its rank. */
import { explainRule, type Analysis, type Rule } from '../analysis/index.js';

export interface RuleExplanation {
  id: string;
  kind: Rule['kind'];
  condition: string;
  observed: string;
  fired: boolean;
  magnitude?: number;
  rank?: number;
}

export function explainRules(rules: readonly Rule[], analysis: Analysis, ranking: ReadonlyArray<{ id: string; magnitude: number; used: boolean }>): RuleExplanation[] {
  return rules.map((rule) => {
    const fired = ranking.filter((r) => r.id === rule.id || r.id.startsWith(`${rule.id}:`));
    const rank = fired.length ? ranking.indexOf(fired[0]!) + 1 : undefined;
    return { id: rule.id, kind: rule.kind, fired: fired.length > 0, magnitude: fired[0]?.magnitude, rank, ...explainRule(rule, analysis.metrics, analysis.asOf) };
  });
}
