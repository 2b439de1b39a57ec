import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The numbered migrations of a folder (001_init.sql, ...), in order: each store has its own folder, numbered alike. */
export function migrations(dir: string): Array<{ version: number; name: string; sql: string }> {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 3)), name, sql: readFileSync(join(dir, name), 'utf8') }));
}
