/**
 * What a rule kind is: its config schema, its evaluation (metrics -> signals), its "Why" line for the
 * studio, and the changes its sentences may state for the truth check. One file per kind implements
 * this; `index.ts` lists them. Adding a kind touches that list, one file here and one template.
 */
import { z } from 'zod';
import { ruleIdSchema, type Window } from '../../config/primitives.js';
import type { Metrics, Unit } from '../returns.js';

export interface Mover {
  symbol: string;
  change: number;
}

/** Where a signal is told: its section of the email (signals of one topic share a section). */
export type Topic = 'market' | 'records' | 'leadership' | 'breadth' | 'rates' | 'risk' | 'sectors';

export interface SignalBase {
  /** The rule id (plus the instrument for group rules): stable across editions. */
  id: string;
  /** News value: how strongly the signal claims the lede and the order of sections. */
  magnitude: number;
  topic: Topic;
}

/** A change a sentence may state beside a direction verb ("fell 1.2%"). */
export interface StatedChange {
  value: number;
  unit: Unit;
}

export interface RuleContext {
  asOf: string;
  metrics: ReadonlyMap<string, Metrics>;
}

export interface RuleReferences {
  /** [field, symbol]: each must be a configured instrument or basket. */
  symbols: Array<[string, string]>;
  group?: string;
  window?: Window;
}

export interface RuleKind<Schema extends z.ZodObject, S extends SignalBase & { kind: string }> {
  schema: Schema;
  references(rule: z.infer<Schema>): RuleReferences;
  evaluate(rule: z.infer<Schema>, ctx: RuleContext): S[];
  /** The studio's "Why" line: the condition in words and what the data showed. */
  explain(rule: z.infer<Schema>, ctx: RuleContext): { condition: string; observed: string };
  stated(signal: S): StatedChange[];
  /** The one figure the signal exists to tell, if any: once it is told, the signal has nothing new. */
  figure?(signal: S): { symbol: string; window: Window };
}

/** A rule kind's config schema: its id, its `kind` literal (the union's discriminator) and its own fields. */
export function ruleSchemaOf<K extends string, F extends z.ZodRawShape>(kind: K, fields: F) {
  return z.strictObject({ id: ruleIdSchema, kind: z.literal(kind), ...fields });
}

/** Identity, for inference: each kind file gets its rule and signal types checked together. */
export function defineRuleKind<Schema extends z.ZodObject, S extends SignalBase & { kind: string }>(kind: RuleKind<Schema, S>): RuleKind<Schema, S> {
  return kind;
}

export const changeOf = (ctx: RuleContext, symbol: string, window: Window): number | undefined => ctx.metrics.get(symbol)?.windows[window]?.change;

/** Weeks in a window, for scaling a usual weekly move to it (moves grow with the square root of time). */
const WEEKS: Partial<Record<Window, number>> = { '1W': 1, '1M': 4.33, '3M': 13 };

/** How unusual a move is: against the instrument's own usual move when known, else against the threshold. */
export function surprise(value: number, usualWeekly: number | undefined, window: Window, threshold: number): number {
  const weeks = WEEKS[window];
  if (usualWeekly && weeks) return Math.abs(value) / (usualWeekly * Math.sqrt(weeks));
  return Math.abs(value) / threshold;
}

export const fmt = (x: number | undefined, digits = 2): string => (x === undefined ? 'no data' : x.toFixed(digits));
