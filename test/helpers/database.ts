/**
 * Raw SQL on a test context's database, beside its own connection: for what the store deliberately
 * cannot do (break the database on purpose, look at a table it does not expose). SQLite through a
 * second connection to the file; PostgreSQL through a client in the context's schema.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Context } from '../../src/shared/context.js';
import { dbFile } from '../../src/db/index.js';

export type Dialects = string | { sqlite: string; postgres: string };

export async function rawSql(ctx: Context, sql: Dialects): Promise<Array<Record<string, unknown>>> {
  if (ctx.database.kind === 'sqlite') {
    const db = new Database(dbFile(ctx.env.DATA_DIR));
    try {
      const statement = db.prepare(typeof sql === 'string' ? sql : sql.sqlite);
      if (statement.reader) return statement.all() as Array<Record<string, unknown>>;
      statement.run();
      return [];
    } finally {
      db.close();
    }
  }
  await ctx.store.healthCheck(); // migrated, so the tables exist
  const url = new URL(ctx.env.DATABASE_URL!);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString(), ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return (await client.query(typeof sql === 'string' ? sql : sql.postgres)).rows;
  } finally {
    await client.end();
  }
}
