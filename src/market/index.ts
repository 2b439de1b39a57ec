import type { Newsletter } from '../config/newsletter.js';
import { sessionOnOrBefore } from './calendar.js';
import { DEFAULT_SCENARIO, demoSeries, isScenarioName, scenarioNames } from './providers/demo.js';
import { snapshotSchema, type IsoDate, type Snapshot } from './types.js';

export { scenarioNames, scenarios } from './providers/demo.js';
export type { IsoDate, Point, Series, Snapshot } from './types.js';

export class MarketDataError extends Error {
  override name = 'MarketDataError';
}

/** Parses a MARKET_DATA / --data value into a data source. */
export function parseDataSource(spec: string): { kind: 'demo'; scenario: (typeof scenarioNames)[number] } {
  const [kind, scenario = DEFAULT_SCENARIO] = spec.split(':');
  if (kind !== 'demo') throw new MarketDataError(`unknown data source "${spec}": use demo or demo:<scenario> (${scenarioNames.join(', ')})`);
  if (!isScenarioName(scenario)) {
    throw new MarketDataError(`unknown demo scenario "${scenario}": choose one of ${scenarioNames.join(', ')}`);
  }
  return { kind, scenario };
}

export interface SnapshotRequest {
  source: string;
  asOf: IsoDate;
  config: Pick<Newsletter, 'instruments'>;
  now: Date;
}

/** Market data for one edition, validated against the Snapshot schema before anything uses it. */
export function loadSnapshot({ source, asOf, config, now }: SnapshotRequest): Snapshot {
  const { scenario } = parseDataSource(source);
  const session = sessionOnOrBefore(asOf);
  return snapshotSchema.parse({
    asOf: session,
    series: demoSeries({ scenario, asOf: session, instruments: config.instruments }),
    source: `demo:${scenario}`,
    fetchedAt: now.toISOString(),
    demo: true,
    scenario,
  });
}
