/**
 * The PostgreSQL connection pool from DATABASE_URL, migrated before its first use. `?schema=name` keeps
 * marketwrap's tables in a schema of their own (several newsletters in one database; each test its own).
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import { sourcePath } from '../../shared/paths.js';
import { fail, messageOf } from '../../shared/errors.js';
import { isConnectionLoss } from '../errors.js';
import { migrations } from '../migrations.js';
import { type PostgresQueries, postgresQueries } from './queries.js';

const MIGRATIONS_DIR = sourcePath('db', 'migrations', 'postgres');
/** Loaded when DATABASE_URL names PostgreSQL: the SQLite default never pays for it. */
const loadPg = () => createRequire(import.meta.url)('pg') as typeof pg;

export interface Queryable {
  /** A named query ({ name, text, values }) is prepared once per connection: the hot path's statements are. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface Connection extends Queryable {
  /** A client of its own for a transaction, migrated first. */
  connect(): Promise<pg.PoolClient>;
  /** The error to throw for `error`: a lost connection becomes one line saying how to go on. */
  lost(error: unknown): unknown;
  describe: string;
  close(): Promise<void>;
}

/** The URL without its password, for messages. */
export function describeUrl(url: URL): string {
  return `postgres://${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`;
}

export function connectPostgres(databaseUrl: string): Connection {
  // Read before connecting: a query file out of step with the code is a bug, not a server to start.
  const queries = postgresQueries();
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw fail('POSTGRES_SCHEMA_INVALID', { schema });
  url.searchParams.delete('schema');
  const describe = describeUrl(url);
  const pool = new (loadPg().Pool)({ connectionString: url.toString(), max: 4, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  // An idle client that loses its server (a restart) is dropped; the next query opens a new one.
  pool.on('error', () => undefined);
  // A client checked out (a transaction, the migration) has no listener of the pool's: pg would throw
  // its 'error' event out of the process. Its next query fails instead, and says so in one line.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const ready = migrate(pool, schema, queries).catch((error: unknown) => {
    throw fail('POSTGRES_UNREACHABLE', { where: describe, reason: messageOf(error) });
  });
  ready.catch(() => undefined); // reported to whoever uses the database, not as an unhandled rejection
  // What was committed stays committed: the ledger says what is owed when the server is back.
  const lost = (error: unknown) => (isConnectionLoss(error) ? fail('POSTGRES_LOST', { where: describe, reason: messageOf(error) }) : error);
  return {
    describe,
    lost,
    async query(text, values) {
      await ready;
      return pool.query(text, values).catch((error: unknown) => Promise.reject(lost(error)));
    },
    async connect() {
      await ready;
      return pool.connect().catch((error: unknown) => Promise.reject(lost(error)));
    },
    async close() {
      await ready.catch(() => undefined);
      await pool.end();
    },
  };
}

/** The numbered migrations not yet applied, in one transaction, under an advisory lock. */
async function migrate(pool: pg.Pool, schema: string | undefined, queries: PostgresQueries): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(queries.lockMigrations);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(queries.createMigrationsTable);
    const applied = new Set((await client.query<{ version: number }>(queries.appliedMigrations)).rows.map((r) => r.version));
    for (const { version, name, sql } of migrations(MIGRATIONS_DIR)) {
      if (applied.has(version)) continue;
      await client.query(sql);
      await client.query(queries.recordMigration, [version, name, new Date().toISOString()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `work` on one client between BEGIN and COMMIT (ROLLBACK if it throws). */
export async function inTransaction<T>(connection: Connection, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await connection.connect();
  let failed: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    failed = error;
    throw connection.lost(error);
  } finally {
    // A client whose connection broke is discarded, not handed to the next caller.
    client.release(failed !== undefined && isConnectionLoss(failed) ? (failed as Error) : undefined);
  }
}
