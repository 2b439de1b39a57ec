import type { Newsletter } from '../config/newsletter.js';
import { sessionOnOrBefore } from './calendar.js';
import { type CloseCache, fetchLive, type ProviderSettings, createProviders } from './live.js';
import { DEFAULT_SCENARIO, demoSeries, demoWeekBehind, isScenarioName, scenarioNames, type ScenarioName } from './providers/demo.js';
import { snapshotSchema, type IsoDate, type Snapshot } from './types.js';
import { demoWeekAhead, fetchWeekAhead } from './week-ahead.js';
import { fetchWeekBehind } from './week-behind.js';

export { scenarioNames, scenarios } from './providers/demo.js';
export { ProviderError } from './http.js';
export { createProviders, fetchLive, sourcesFor, sourceKey, historyStart, type ProviderSettings } from './live.js';
export type { DataIssue } from './guards.js';
export type { IsoDate, Point, Series, Snapshot } from './types.js';

import { fail } from '../shared/errors.js';

export type DataSource = { kind: 'demo'; scenario: ScenarioName } | { kind: 'live' } | { kind: 'auto' };

/** Parses a MARKET_DATA / --data value: auto, live, demo or demo:<scenario>. */
export function parseDataSource(spec: string): DataSource {
  if (spec === 'auto' || spec === 'live') return { kind: spec };
  const [kind, scenario = DEFAULT_SCENARIO] = spec.split(':');
  if (kind !== 'demo') throw fail('DATA_SOURCE_UNKNOWN', { spec, scenarios: scenarioNames.join(', ') });
  if (!isScenarioName(scenario)) {
    throw fail('DEMO_SCENARIO_UNKNOWN', { scenario, scenarios: scenarioNames.join(', ') });
  }
  return { kind: 'demo', scenario };
}

export function demoSnapshot(scenario: ScenarioName, asOf: IsoDate, config: Pick<Newsletter, 'instruments'>, now: Date, notes: string[] = []): Snapshot {
  const session = sessionOnOrBefore(asOf);
  const series = demoSeries({ scenario, asOf: session, instruments: config.instruments });
  return snapshotSchema.parse({
    asOf: session,
    series,
    source: `demo:${scenario}`,
    fetchedAt: now.toISOString(),
    demo: true,
    scenario,
    sources: Object.fromEntries(series.map((s) => [s.symbol, s.source])),
    notes,
    calendar: demoWeekAhead(session),
    weekBehind: demoWeekBehind(session),
  });
}

export interface MarketRequest {
  source: string;
  asOf: IsoDate;
  config: Pick<Newsletter, 'instruments' | 'guards'>;
  now: Date;
  store: CloseCache;
  providers: ProviderSettings;
  /** auto only: may an unreachable network fall back to demo data? (only when mailing to the outbox) */
  allowDemoFallback: boolean;
  offline?: boolean;
  sleep?: (ms: number) => Promise<void>;
}

/** Market data for one edition, validated against the Snapshot schema before anything uses it. */
export async function loadMarketData(request: MarketRequest): Promise<Snapshot> {
  const source = parseDataSource(request.source);
  const { asOf, config, now } = request;
  if (source.kind === 'demo') return demoSnapshot(source.scenario, asOf, config, now);
  const live = await fetchLive({
    // The as-of session is never after the last completed one (resolveAsOf): its close must be there.
    config,
    asOf,
    expected: sessionOnOrBefore(asOf),
    store: request.store,
    providers: createProviders(request.providers, request.sleep),
    now,
    offline: request.offline,
  });
  if (!live.reachable && live.series.length === 0 && source.kind === 'auto') {
    if (request.allowDemoFallback) {
      return demoSnapshot(DEFAULT_SCENARIO, asOf, config, now, [
        `no market data provider could be reached (${live.firstFailure ?? 'no provider configured'}): this edition uses demo data`,
      ]);
    }
    throw fail('MARKET_DATA_UNREACHABLE', { reason: live.firstFailure ?? 'no provider configured' });
  }
  const notes = [...live.notes];
  const calendar = request.offline ? [] : await fetchWeekAhead(request.providers, sessionOnOrBefore(asOf), notes);
  const weekBehind = request.offline ? undefined : await fetchWeekBehind(request.providers, sessionOnOrBefore(asOf), notes);
  return snapshotSchema.parse({
    asOf: sessionOnOrBefore(asOf),
    series: live.series,
    source: 'live',
    fetchedAt: now.toISOString(),
    demo: false,
    sources: live.sources,
    issues: live.issues,
    notes,
    calendar,
    weekBehind,
  });
}
