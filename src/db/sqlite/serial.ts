/**
 * better-sqlite3 is synchronous and has one connection. The store interface is async, and a
 * transaction may await between its statements, so another request's statement could land inside it.
 * One lock per connection: an operation waits while a transaction is open, except the transaction's own.
 */
import { diskFull } from '../errors.js';
import type { Db } from './open.js';

/** The synchronous shape of an async interface (what better-sqlite3 code implements). */
export type Sync<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };

type AnyFunction = (...args: never[]) => unknown;

export class TransactionLock {
  private open: Promise<void> | undefined;

  /** `file`: the database's, for the one line a full disk gets. */
  constructor(readonly file: string) {}

  /** What a failed statement throws: a full disk becomes one line saying what to do. */
  failure(error: unknown): unknown {
    return diskFull(this.file, error);
  }

  /** Waits until no transaction is open. */
  async idle(): Promise<void> {
    while (this.open !== undefined) await this.open;
  }

  /** Runs `work` between BEGIN IMMEDIATE and COMMIT (ROLLBACK if it throws), holding the lock. */
  async run<T>(db: Db, work: () => Promise<T>): Promise<T> {
    await this.idle();
    let release!: () => void;
    this.open = new Promise((resolve) => {
      release = resolve;
    });
    try {
      db.exec('BEGIN IMMEDIATE');
      const result = await work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw this.failure(error);
    } finally {
      this.open = undefined;
      release();
    }
  }
}

/** The async interface over synchronous functions: each waits for the lock unless `direct` (inside a transaction). */
export function asAsync<T extends object>(sync: Sync<T>, lock: TransactionLock, direct = false): T {
  const entries = Object.entries(sync as Record<string, AnyFunction>).map(([name, fn]) => [
    name,
    direct
      ? async (...args: never[]) => fn(...args)
      : async (...args: never[]) => {
          await lock.idle();
          try {
            return fn(...args);
          } catch (error) {
            throw lock.failure(error);
          }
        },
  ]);
  return Object.fromEntries(entries) as T;
}
