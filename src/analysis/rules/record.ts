/**
 * Records: a close beyond the past year's range, on any day of the week. The sentence names what was
 * beaten: the previous record and how long it stood ("its first record close in two years"), or the
 * last time the level was seen ("its highest close since March 2009").
 */
import { z } from 'zod';
import { groupSchema } from '../../config/primitives.js';
import type { Point } from '../../market/types.js';
import type { Extreme } from '../returns.js';
import { defineRuleKind, ruleSchemaOf, type SignalBase } from './kind.js';

export interface RecordSignal extends SignalBase, Omit<Extreme, 'point'> {
  kind: 'record';
  symbol: string;
  unit: 'pct' | 'bp' | 'pt';
  /** The record close and its day. */
  record: Point;
  /** The week's last close (below the record when the week slipped back from it). */
  level: number;
  /** Years between the record and the close it topped (`beaten`; all-time), or the last close as extreme (otherwise). */
  yearsSince: number;
  /** Years the standing record (`previous`) stood before the week's first record: the wait this week ended (all-time); else `yearsSince`. */
  yearsStood: number;
}

const DAY_MS = 86_400_000;
const yearsBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS / 365.25;

export const record = defineRuleKind({
  schema: ruleSchemaOf('record', {
    group: groupSchema,
    extreme: z.enum(['high', 'low', 'both']).default('both'),
  }),
  references: (rule) => ({ symbols: [], group: rule.group }),
  evaluate(rule, { metrics }): RecordSignal[] {
    const out: RecordSignal[] = [];
    for (const m of metrics.values()) {
      if (m.group !== rule.group || !m.last) continue;
      for (const found of [m.weekHigh, m.weekLow]) {
        if (!found || (rule.extreme !== 'both' && rule.extreme !== found.extreme)) continue;
        const { point, ...rest } = found;
        // A week of several records: the last tops the one before it, the first ended the standing record's wait.
        const first = found.records[0] ?? point;
        const yearsSince = yearsBetween(found.allTime ? (found.beaten ?? found.previous).date : (found.since?.date ?? found.previous.date), point.date);
        const yearsStood = found.allTime ? yearsBetween(found.previous.date, first.date) : yearsSince;
        // An all-time high after a long wait is front-page news; another in a run of records is less so.
        const news = found.allTime ? (yearsStood >= 1 ? 4 + Math.log2(1 + yearsStood) : 2.2) : 1.5 + 0.8 * Math.log2(1 + (found.since ? yearsSince : found.yearsOfData));
        // The story is stocks: a record in the VIX or a yield ranks below one in an index, and a
        // record the week then walked away from below one it closed at.
        const weight = (m.unit === 'pct' ? 1 : 0.6) * (found.atClose ? 1 : 0.7);
        out.push({
          ...rest,
          id: `${rule.id}:${m.symbol}:${found.extreme}`,
          kind: 'record',
          topic: m.unit === 'pct' ? 'records' : m.unit === 'pt' ? 'risk' : 'rates',
          symbol: m.symbol,
          unit: m.unit,
          record: point,
          level: m.last.close,
          yearsSince,
          yearsStood,
          magnitude: weight * news,
        });
      }
    }
    return out;
  },
  explain: (rule, { metrics }) => {
    const hits = [...metrics.values()].filter((m) => m.group === rule.group && (m.weekHigh || m.weekLow)).map((m) => `${m.symbol} ${m.weekHigh ? 'high' : 'low'}`);
    return {
      condition: `a close beyond the 52 weeks before this one in ${rule.group} (${rule.extreme === 'both' ? 'high or low' : rule.extreme})`,
      observed: hits.join(', ') || 'none',
    };
  },
  stated: () => [],
});
