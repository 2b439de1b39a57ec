/** The database: PostgreSQL when DATABASE_URL is set, else the SQLite file in DATA_DIR. */
import { join } from 'node:path';
import { openPostgresDatabase } from './postgres/index.js';
import { openSqliteDatabase } from './sqlite/index.js';
import type { Database } from './types.js';

export type * from './types.js';
export type * from './desk-web.js';

export function dbFile(dataDir: string): string {
  return join(dataDir, 'marketwrap.sqlite');
}

/** `databaseUrl` is DATABASE_URL as the env schema checked it (a postgres:// URL). */
export function openDatabase(options: { databaseUrl?: string | undefined; dataDir: string }): Database {
  return options.databaseUrl ? openPostgresDatabase(options.databaseUrl) : openSqliteDatabase(dbFile(options.dataDir));
}
