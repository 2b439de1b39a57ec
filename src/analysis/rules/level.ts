/** An instrument at or beyond a mark at the close (the VIX at 30 or more: the "stressed" band). */
import { z } from 'zod';
import { symbolSchema } from '../../config/primitives.js';
import type { Unit } from '../returns.js';
import { defineRuleKind, fmt, ruleSchemaOf, type SignalBase } from './kind.js';

export interface LevelSignal extends SignalBase {
  kind: 'level';
  symbol: string;
  unit: Unit;
  level: number;
  op: 'at-or-above' | 'at-or-below';
  value: number;
  weekChange: number | undefined;
  label: string | undefined;
  /** Was it on the same side of the mark a week ago? Then it "stays" there rather than "moves into" it. */
  wasThere: boolean;
}

export const level = defineRuleKind({
  schema: ruleSchemaOf('level', {
    instrument: symbolSchema,
    op: z.enum(['at-or-above', 'at-or-below']),
    value: z.number(),
    label: z.string().max(40).optional().describe('What the band is called ("stressed" for the VIX at 30 or more)'),
  }),
  references: (rule) => ({ symbols: [['instrument', rule.instrument]] }),
  evaluate(rule, { metrics }): LevelSignal[] {
    const m = metrics.get(rule.instrument);
    const close = m?.last?.close;
    if (!m || close === undefined) return [];
    const beyond = (x: number) => (rule.op === 'at-or-above' ? x >= rule.value : x <= rule.value);
    if (!beyond(close)) return [];
    const base = m.windows['1W']?.base?.close;
    const wasThere = base !== undefined && beyond(base);
    return [
      {
        id: rule.id,
        kind: 'level',
        topic: m.unit === 'bp' ? 'rates' : 'risk',
        symbol: rule.instrument,
        unit: m.unit,
        level: close,
        op: rule.op,
        value: rule.value,
        weekChange: m.windows['1W']?.change,
        label: rule.label,
        wasThere,
        magnitude: (wasThere ? 0.4 : 0.8) * (rule.op === 'at-or-above' ? close / rule.value : rule.value / close),
      },
    ];
  },
  explain: (rule, { metrics }) => ({ condition: `${rule.instrument} ${rule.op} ${rule.value}`, observed: fmt(metrics.get(rule.instrument)?.last?.close) }),
  stated: (s) => (s.weekChange === undefined ? [] : [{ value: s.weekChange, unit: s.unit }]),
});

/** Of several marks crossed on one instrument (VIX >= 20 and >= 30), only the most extreme speaks. */
export function keepStrongestLevels<S extends { kind: string }>(signals: S[]): S[] {
  const strongest = new Map<string, LevelSignal>();
  for (const s of signals) {
    if (s.kind !== 'level') continue;
    const l = s as unknown as LevelSignal;
    const key = `${l.symbol}:${l.op}`;
    const current = strongest.get(key);
    if (!current || (l.op === 'at-or-above' ? l.value > current.value : l.value < current.value)) strongest.set(key, l);
  }
  return signals.filter((s) => s.kind !== 'level' || strongest.get(`${(s as unknown as LevelSignal).symbol}:${(s as unknown as LevelSignal).op}`) === (s as unknown));
}
