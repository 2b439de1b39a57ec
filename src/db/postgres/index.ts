/** The PostgreSQL database (DATABASE_URL): the same store and ledger, shared by any number of processes. */
import type { Database } from '../types.js';
import { connectPostgres } from './connect.js';
import { postgresLedger } from './ledger.js';
import { postgresStore } from './store.js';

export function openPostgresDatabase(url: string): Database {
  const connection = connectPostgres(url);
  return {
    kind: 'postgres',
    describe: connection.describe,
    store: postgresStore(connection),
    ledger: postgresLedger(connection),
    close: () => connection.close(),
  };
}
