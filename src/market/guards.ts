/**
 * Guards: never send wrong numbers. Pure checks over the closes an edition would use; each issue
 * names the instrument and the date. `build` renders with the issues shown; a send stops on any.
 */
import type { Instrument } from '../config/newsletter.js';
import { isBondSession, sessionsBetween } from './calendar.js';
import type { RawPoint } from './providers/provider.js';

export interface DataIssue {
  symbol: string;
  kind: 'missing' | 'stale' | 'sanity';
  message: string;
}

/** The newest close must be the last completed session; older means the provider is behind. */
export function checkStaleness(instrument: Instrument, points: readonly RawPoint[], expected: string): DataIssue[] {
  const last = points.at(-1)?.date;
  if (last === undefined || last >= expected) return [];
  return [
    {
      symbol: instrument.symbol,
      kind: 'stale',
      message: `${instrument.name} (${instrument.symbol}) last closed ${last}, but the last completed session is ${expected}: the provider is behind; try again later or pass an earlier --as-of`,
    },
  ];
}

export interface SanityOptions {
  maxDailyMovePct: number;
  /** First session of the longest window: gaps before it do not matter. */
  from: string;
  /** FRED skips bond-market holidays on which stocks trade: do not call those gaps. */
  allowGaps: boolean;
}

export function checkSanity(instrument: Instrument, points: readonly RawPoint[], options: SanityOptions): DataIssue[] {
  const issues: DataIssue[] = [];
  const name = `${instrument.name} (${instrument.symbol})`;
  for (const p of points) {
    if (!(p.close > 0) || !Number.isFinite(p.close))
      issues.push({
        symbol: instrument.symbol,
        kind: 'sanity',
        message: `${name} has a non-positive close (${p.close}) on ${p.date}: the provider sent bad data; fix or remove that close`,
      });
  }
  if (instrument.kind === 'index') {
    for (let i = 1; i < points.length; i++) {
      const prev = points[i - 1]!;
      const cur = points[i]!;
      if (!(prev.close > 0) || !(cur.close > 0)) continue;
      const move = (cur.close / prev.close - 1) * 100;
      if (Math.abs(move) > options.maxDailyMovePct) {
        issues.push({
          symbol: instrument.symbol,
          kind: 'sanity',
          message: `${name} moved ${move.toFixed(1)}% on ${cur.date}, beyond the ${options.maxDailyMovePct}% bound for a broad index: check the data (guards.maxDailyMovePct sets the bound)`,
        });
      }
    }
  }
  if (!options.allowGaps && points.length > 0) {
    const have = new Set(points.map((p) => p.date));
    const start = points.find((p) => p.date >= options.from)?.date ?? options.from;
    // Yields have no close on bond-market holidays (Columbus Day, Veterans Day) while stocks trade.
    const traded = instrument.kind === 'rate' ? isBondSession : () => true;
    const missing = sessionsBetween(start, points.at(-1)!.date).filter((d) => !have.has(d) && traded(d));
    if (missing.length > 0) {
      issues.push({
        symbol: instrument.symbol,
        kind: 'sanity',
        message: `${name} is missing ${missing.length} session${missing.length > 1 ? 's' : ''} inside the windows (first ${missing[0]}): refetch with \`marketwrap data fetch\``,
      });
    }
  }
  return issues;
}
