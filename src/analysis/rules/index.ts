/**
 * The rule kinds: config rules -> signals. A signal is a fact the data supports plus its news value;
 * every number a sentence will state is computed here, and commentary only formats them.
 */
import { z } from 'zod';
import type { Window } from '../../config/primitives.js';
import type { Metrics } from '../returns.js';
import { biggestDay } from './biggest-day.js';
import { curve } from './curve.js';
import type { RuleContext, RuleKind, RuleReferences, SignalBase, StatedChange } from './kind.js';
import { leaders } from './leaders.js';
import { keepStrongestLevels, level } from './level.js';
import { market } from './market.js';
import { move } from './move.js';
import { record } from './record.js';
import { regime } from './regime.js';
import { relative } from './relative.js';

/** Every rule kind, by its `kind` literal. Adding a kind: one file beside this, one line here, one template. */
export const RULE_KINDS = { market, relative, move, level, record, leaders, regime, 'biggest-day': biggestDay, curve } as const;

type Kinds = (typeof RULE_KINDS)[keyof typeof RULE_KINDS];
export type Signal = ReturnType<Kinds['evaluate']>[number];
export type SignalKind = Signal['kind'];
export const SIGNAL_KINDS = Object.keys(RULE_KINDS) as SignalKind[];

const schemas = Object.values(RULE_KINDS).map((k) => k.schema) as unknown as [Kinds['schema'], ...Array<Kinds['schema']>];
export const ruleSchema = z.discriminatedUnion('kind', schemas);
export type Rule = z.infer<typeof ruleSchema>;

type AnyKind = RuleKind<z.ZodObject, SignalBase & { kind: string }>;
const kindOf = (kind: string): AnyKind => RULE_KINDS[kind as SignalKind] as unknown as AnyKind;

export function ruleReferences(rule: Rule): RuleReferences {
  return kindOf(rule.kind).references(rule);
}

export function evaluateRules(rules: readonly Rule[], metrics: ReadonlyMap<string, Metrics>, asOf: string): Signal[] {
  const ctx: RuleContext = { asOf, metrics };
  return keepStrongestLevels(rules.flatMap((rule) => kindOf(rule.kind).evaluate(rule, ctx) as Signal[]));
}

export function explainRule(rule: Rule, metrics: ReadonlyMap<string, Metrics>, asOf: string): { condition: string; observed: string } {
  return kindOf(rule.kind).explain(rule, { asOf, metrics });
}

/** Every (value, unit) a signal's sentences may state beside a direction verb. */
export function statedChanges(signal: Signal): StatedChange[] {
  return kindOf(signal.kind).stated(signal);
}

/** The figure a signal exists to tell (a move), or undefined when its story is more than one number. */
export function coreFigure(signal: Signal): { symbol: string; window: Window } | undefined {
  return kindOf(signal.kind).figure?.(signal);
}

export type { Mover, StatedChange, Topic } from './kind.js';
