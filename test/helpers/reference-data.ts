/** The real daily history committed under test/fixtures/market-data (a trimmed copy of ../shared/market-data). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Series, Snapshot } from '../../src/market/types.js';
import { SHARED_DATA } from './context.js';

export function readReferenceCsv(file: string): Array<{ date: string; close: number }> {
  const [header, ...rows] = readFileSync(join(SHARED_DATA, file), 'utf8').trim().split('\n');
  const closeAt = header!.split(',').indexOf('Close');
  return rows.map((row) => {
    const cells = row.split(',');
    return { date: cells[0]!, close: Number(cells[closeAt]) };
  });
}

export function referenceSeries(file: string, symbol: string, name: string): Series {
  // 2000 to 2022 only: not the whole history, so no all-time claims.
  return { symbol, name, kind: 'index', source: `reference:${file}`, fullHistory: false, points: readReferenceCsv(file) };
}

/** The S&P 500 from its first close at Yahoo (1927-12-30): the whole history a live fetch returns. */
export function fullHistorySp500(): Series {
  const points = [...readReferenceCsv('GSPC-1927-1999.csv'), ...readReferenceCsv('GSPC.csv')];
  return { symbol: '^GSPC', name: 'S&P 500', kind: 'index', source: 'reference:GSPC-1927-1999.csv+GSPC.csv', fullHistory: true, points };
}

/** The snapshot a week's edition is built from: every series cut at `asOf`, as the CSV provider serves it. */
export function snapshotAt(series: readonly Series[], asOf: string): Snapshot {
  return {
    asOf,
    series: series.map((s) => ({ ...s, points: s.points.filter((p) => p.date <= asOf) })).filter((s) => s.points.length > 0),
    source: 'csv',
    fetchedAt: asOf,
    demo: false,
    sources: {},
    issues: [],
    notes: [],
    calendar: [],
  };
}
