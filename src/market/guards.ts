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

/** The longest run of identical closes among `points` (at least 1 when there are any), and where it starts. */
function longestFlatRun(points: readonly RawPoint[]): { length: number; from: string | undefined } {
  let best = { length: 0, from: undefined as string | undefined };
  let start = 0;
  for (let i = 0; i < points.length; i++) {
    if (i > 0 && points[i]!.close !== points[i - 1]!.close) start = i;
    if (i - start + 1 > best.length) best = { length: i - start + 1, from: points[start]!.date };
  }
  return best;
}

/**
 * A market that trades does not close at one price session after session: a provider serving a
 * constant (a placeholder, an outage page's default) is caught. Only the windows are looked at.
 */
export function checkFlat(instrument: Instrument, points: readonly RawPoint[], options: { from: string; maxFlatSessions: number }): DataIssue[] {
  const run = longestFlatRun(points.filter((p) => p.date >= options.from));
  if (run.length < options.maxFlatSessions) return [];
  return [
    {
      symbol: instrument.symbol,
      kind: 'sanity',
      message: `${instrument.name} (${instrument.symbol}) closed at the same price for ${run.length} sessions from ${run.from}: the provider is not sending real prices; check the data (guards.maxFlatSessions sets the bound)`,
    },
  ];
}

/**
 * Instruments from different sources never close identically session after session: when they do,
 * one answer is standing in for others (or all are filler). One issue per group of alike instruments,
 * comparing the last `sessions` closes of each.
 */
export function checkIdentical(series: ReadonlyArray<{ symbol: string; name: string; source: string; points: readonly RawPoint[] }>, sessions: number): DataIssue[] {
  const groups = new Map<string, Array<(typeof series)[number]>>();
  for (const s of series) {
    if (s.points.length < sessions) continue;
    const tail = JSON.stringify(s.points.slice(-sessions).map((p) => [p.date, p.close]));
    groups.set(tail, [...(groups.get(tail) ?? []), s]);
  }
  return [...groups.values()]
    .filter((group) => new Set(group.map((s) => s.source)).size > 1)
    .map((group) => ({
      symbol: group[0]!.symbol,
      kind: 'sanity' as const,
      message: `${group.map((s) => `${s.name} (${s.symbol})`).join(', ')} have identical closes for the last ${sessions} sessions (to ${group[0]!.points.at(-1)!.date}): a provider is sending the same numbers for different instruments; check the data`,
    }));
}

/**
 * A fetch that contradicts the closes already cached for the same dates (revisions are fractions of a
 * percent) is not saved: the cache keeps the history, and the issue stops the send.
 */
export function checkAgainstCache(instrument: Instrument, cached: readonly RawPoint[], fetched: readonly RawPoint[], maxRevisionPct: number): DataIssue[] {
  const before = new Map(cached.map((p) => [p.date, p.close]));
  for (const p of fetched) {
    const old = before.get(p.date);
    if (old === undefined || !(old > 0)) continue;
    const change = (p.close / old - 1) * 100;
    if (Number.isFinite(change) && Math.abs(change) <= maxRevisionPct) continue;
    return [
      {
        symbol: instrument.symbol,
        kind: 'sanity',
        message: `${instrument.name} (${instrument.symbol}) was sent a close of ${p.close} for ${p.date}, where the cache holds ${old} (beyond the ${maxRevisionPct}% a revision may move): the fetch was not saved; check the provider (guards.maxRevisionPct sets the bound)`,
      },
    ];
  }
  return [];
}
