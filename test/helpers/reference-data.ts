/** The real daily history in ../shared/market-data (tests that use it skip when it is absent). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Series } from '../../src/market/types.js';
import { SHARED_DATA } from './context.js';

export const hasReferenceData = existsSync(join(SHARED_DATA, 'GSPC.csv'));

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
