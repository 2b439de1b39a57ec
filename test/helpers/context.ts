import { clockFrom } from '../../src/shared/clock.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createContext, type Context } from '../../src/shared/context.js';

/** Saturday 2026-11-21 09:00 New York: the week ending Friday 2026-11-20 is complete. */
export const FIXED_NOW = new Date('2026-11-21T14:00:00Z');

/** Tests never reach the internet: every provider points at a closed port on loopback. */
export const OFFLINE_ENV = {
  YAHOO_BASE_URL: 'http://127.0.0.1:9',
  FRED_BASE_URL: 'http://127.0.0.1:9/fred',
  ALPHAVANTAGE_BASE_URL: 'http://127.0.0.1:9',
};

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/**
 * The database every test context uses: SQLite files by default; with TEST_DATABASE_URL (set by
 * test/setup/postgres.ts when TEST_DATABASE=postgres) a schema of its own in a real PostgreSQL server.
 */
export function testDatabaseEnv(): Record<string, string> {
  const base = process.env['TEST_DATABASE_URL'];
  if (!base) return {};
  return { DATABASE_URL: `${base}?schema=t_${randomBytes(6).toString('hex')}` };
}

export function tempDir(prefix = 'marketwrap-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock that starts at `start` and ticks in real time: fixed dates, working timeouts and retries. */
export const tickingClock = clockFrom;

/** A context on a fresh temporary DATA_DIR and OUTBOX_DIR, a clock from FIXED_NOW and no config file. */
export function testContext(env: Record<string, string> = {}, now = FIXED_NOW, options: { templatesDir?: string } = {}): Context {
  const dir = tempDir();
  const ctx = createContext({
    env: {
      DATA_DIR: join(dir, 'data'),
      OUTBOX_DIR: join(dir, 'outbox'),
      CONFIG_FILE: join(dir, 'none.json'),
      LOG_LEVEL: 'silent',
      ...OFFLINE_ENV,
      MARKET_DATA: 'demo',
      ...testDatabaseEnv(),
      ...env,
    },
    clock: tickingClock(now),
    ...options,
  });
  cleanups.push(() => ctx.close());
  return ctx;
}

/** Real closes committed with the tests (see test/fixtures/market-data/README.md). */
export const SHARED_DATA = join(import.meta.dirname, '../fixtures/market-data');
