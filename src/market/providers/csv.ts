/**
 * Daily closes from a folder of CSV files as Yahoo exports them (`Date,...,Close,...`), one series per
 * configured instrument: `GSPC.csv` for ^GSPC, plus any `GSPC-<part>.csv` pieces (older history),
 * merged by date. For backtests over real history; never a source for a send.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Instrument } from '../../config/newsletter.js';
import { fail } from '../../shared/errors.js';
import { seriesSchema, type Point, type Series } from '../types.js';

function readCloses(file: string): Point[] {
  const [header = '', ...rows] = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  const columns = header.split(',').map((c) => c.trim());
  const dateAt = columns.indexOf('Date');
  const closeAt = columns.indexOf('Close');
  if (dateAt < 0 || closeAt < 0) throw fail('CSV_DATA_HEADER', { file, columns: columns.join(', ') });
  return rows.flatMap((row, i) => {
    const cells = row.split(',');
    const close = Number(cells[closeAt]);
    if (cells[closeAt] === 'null' || cells[closeAt] === '') return [];
    if (!Number.isFinite(close) || close <= 0) throw fail('CSV_DATA_CLOSE', { file, line: i + 2, cell: String(cells[closeAt]) });
    return [{ date: cells[dateAt]!, close }];
  });
}

/** Every configured instrument that has files in `dir`; `fullHistory` names those whose files start at the first close there is. */
export function csvSeries(dir: string, instruments: readonly Instrument[], fullHistory: ReadonlySet<string>): Series[] {
  if (!existsSync(dir)) throw fail('CSV_DATA_FOLDER_MISSING', { dir });
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
  return instruments.flatMap((instrument) => {
    const stem = instrument.symbol.replace(/^\^/, '');
    const mine = files.filter((f) => f === `${stem}.csv` || (f.startsWith(`${stem}-`) && /^\d/.test(f.slice(stem.length + 1))));
    if (mine.length === 0) return [];
    const byDate = new Map<string, number>();
    for (const file of mine) for (const p of readCloses(join(dir, file))) byDate.set(p.date, p.close);
    const points = [...byDate].sort(([a], [b]) => a.localeCompare(b)).map(([date, close]) => ({ date, close }));
    const parsed = seriesSchema.safeParse({
      symbol: instrument.symbol,
      name: instrument.name,
      kind: instrument.kind,
      source: `csv:${mine.join('+')}`,
      fullHistory: fullHistory.has(instrument.symbol),
      points,
    });
    if (!parsed.success) throw fail('CSV_DATA_INVALID', { file: join(dir, mine[0]!), problem: parsed.error.issues[0]!.message });
    return [parsed.data];
  });
}
