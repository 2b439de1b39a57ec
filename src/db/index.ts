/** The database: PostgreSQL when DATABASE_URL is set, else the SQLite file in DATA_DIR. */
import { join } from 'node:path';
import { DatabaseError } from './errors.js';
import { openPostgresDatabase } from './postgres/index.js';
import { openSqliteDatabase } from './sqlite/index.js';
import type { Database } from './types.js';

export { DatabaseError };
export type * from './types.js';

export function dbFile(dataDir: string): string {
  return join(dataDir, 'marketwrap.sqlite');
}

export function openDatabase(options: { databaseUrl?: string | undefined; dataDir: string }): Database {
  const url = options.databaseUrl;
  if (!url) return openSqliteDatabase(dbFile(options.dataDir));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresDatabase(url);
  if (url.startsWith('sqlite:')) return openSqliteDatabase(url.slice('sqlite:'.length));
  throw new DatabaseError(`DATABASE_URL must start with postgres:// (or sqlite:<file>); got "${url.split(':')[0]}:..."`);
}
