/**
 * A PostgreSQL server lost under a process that holds clients (a transaction open, clients idle in the
 * pool): every operation fails with the one line of POSTGRES_LOST, never pg's "Unhandled 'error'
 * event", and the process goes on to finish what it can. A real server, crashed with pg_ctl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFailure } from '../../src/shared/errors.js';
import { openPostgresDatabase } from '../../src/db/postgres/index.js';
import { hasPostgres, type Postgres, startPostgres } from '../helpers/postgres.js';

let server: Postgres | undefined;
beforeAll(async () => {
  if (hasPostgres) server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const uncaught: unknown[] = [];
const record = (error: unknown) => void uncaught.push(error);

describe.skipIf(!hasPostgres)('PostgreSQL lost while clients are checked out', () => {
  it('a transaction open when the server goes is one line; so is every call after; no error escapes', async () => {
    const database = openPostgresDatabase(`${server!.url}?schema=lost`);
    process.on('uncaughtException', record);
    try {
      await database.store.healthCheck();
      // Clients idle in the pool, and one held by an open transaction that is between two statements.
      await Promise.all([database.store.listSubscribers(), database.store.sentEditions(), database.ledger.confirmedCount()]);
      let crashed!: () => void;
      const down = new Promise<void>((resolve) => (crashed = resolve));
      const open = database.store.transaction(async (tx) => {
        await tx.listSubscribers();
        await down;
        return tx.listSubscribers();
      });
      open.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      server!.crash();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the sockets' ends arrive
      crashed();
      await open.catch(() => undefined);
      expect(uncaught.map(String)).toEqual([]);
      expect(isFailure(await open.catch((e: unknown) => e), 'POSTGRES_LOST')).toBe(true);
      await expect(open).rejects.toThrow(/^lost PostgreSQL at postgres:\/\/marketwrap@127\.0\.0\.1:\d+\/postgres \(.+\): nothing committed is lost/);
      for (const call of [() => database.store.listSubscribers(), () => database.ledger.claim('2026-W47', 'me', 5, new Date())])
        expect(isFailure(await call().catch((e: unknown) => e), 'POSTGRES_LOST')).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      server!.restart();
      await database.close();
    }
  }, 60_000);
});
