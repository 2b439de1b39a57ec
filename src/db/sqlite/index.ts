/** The SQLite database (better-sqlite3): one file in DATA_DIR, the embedded default. */
import type { Database } from '../types.js';
import { sqliteLedger } from './ledger.js';
import { openSqlite } from './open.js';
import { TransactionLock } from './serial.js';
import { sqliteStore } from './store.js';

export function openSqliteDatabase(file: string): Database {
  const db = openSqlite(file);
  const lock = new TransactionLock(file);
  return {
    kind: 'sqlite',
    describe: file,
    store: sqliteStore(db, lock),
    ledger: sqliteLedger(db, lock),
    async close() {
      await lock.idle();
      if (db.open) db.close();
    },
  };
}
