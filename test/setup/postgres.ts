/**
 * Vitest global setup: with TEST_DATABASE=postgres the whole suite runs on a real PostgreSQL server
 * (each test context in a schema of its own, see testDatabaseEnv); otherwise on SQLite files.
 */
import { startPostgres } from '../helpers/postgres.js';

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env['TEST_DATABASE'] !== 'postgres') return undefined;
  const server = await startPostgres();
  process.env['TEST_DATABASE_URL'] = server.url;
  return () => server.stop();
}
