import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

import { sourcePath } from '../../shared/paths.js';
import { fail, messageOf } from '../../shared/errors.js';
import { diskFull } from '../errors.js';
import { migrations } from '../migrations.js';

export type Db = Database.Database;

const MIGRATIONS_DIR = sourcePath('db', 'migrations', 'sqlite');

/**
 * Opens (creating if needed) the SQLite file and applies numbered migrations (001_*.sql, ...) not yet
 * applied, tracked in PRAGMA user_version; each migration runs in its own transaction. The data folder
 * and the database hold addresses and tokens: the owner only (0700, 0600).
 */
export function openSqlite(file: string): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // SQLite gives its -wal and -shm files the database file's mode: create it private.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  // A corrupt file is found at start-up, not by the first subscriber or the first send.
  const damaged = (why: string) => {
    db.close();
    return fail('SQLITE_DAMAGED', { file, why });
  };
  let check: unknown;
  try {
    check = db.pragma('quick_check', { simple: true });
  } catch (error) {
    throw damaged(messageOf(error));
  }
  if (check !== 'ok') throw damaged(String(check));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // WAL with NORMAL survives a process crash (kill -9) without an fsync per ledger write.
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (error) {
    db.close();
    throw diskFull(file, error);
  }
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const { version, sql } of migrations(MIGRATIONS_DIR)) {
    if (version <= current) continue;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
