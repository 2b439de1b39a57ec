/**
 * A throwaway PostgreSQL cluster (Debian's postgresql package): initdb in a temporary folder, pg_ctl
 * start on a free loopback port, trust authentication for one user, stopped and removed afterwards.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the package's `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin folder, if any. */
export function postgresBin(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(PG_ROOT, versions[0], 'bin') : undefined;
}

export const hasPostgres = postgresBin() !== undefined;

export interface Postgres {
  /** postgres://marketwrap@127.0.0.1:<port>/postgres */
  url: string;
  /** The server lost as in a crash (pg_ctl stop -m immediate: every connection cut), its data kept. */
  crash(): void;
  /** Started again on the same port and data after crash(). */
  restart(): void;
  stop(): void;
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  if (!bin) throw new Error(`no PostgreSQL server under ${PG_ROOT}: apt-get install postgresql`);
  const dir = mkdtempSync(join(tmpdir(), 'marketwrap-pg-'));
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()) : undefined;
  if (owner !== undefined) chownSync(dir, owner, Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()));
  const run = (tool: string, args: string[]) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(command, argv, { stdio: 'pipe', cwd: dir });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'marketwrap', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  // fsync off: a test cluster is thrown away, and its speed is the suite's.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  const crash = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  return {
    url: `postgres://marketwrap@127.0.0.1:${port}/postgres`,
    crash,
    restart: start,
    stop() {
      try {
        crash();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
