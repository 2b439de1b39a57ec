import { fail } from '../shared/errors.js';

/** Node's socket errors and PostgreSQL's connection-exception (08) and shutdown (57P0x) classes. */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH)$/.test(e.code) || /^(08|57P0)/.test(e.code))) return true;
  // pg's own words for a client whose connection broke, and for one used after that.
  return typeof e.message === 'string' && /^(Connection terminated|Client has encountered a connection error)/.test(e.message);
}

/** SQLite's codes for a write the file system refused: no space (FULL), or a short write (a size limit, a full disk under the WAL). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR_(WRITE|SHMSIZE|TRUNCATE))$/.test(code);
}

/** The one line for a full disk under `file`, or `error` unchanged. */
export function diskFull(file: string, error: unknown): unknown {
  if (!isDiskFull(error)) return error;
  const { code } = error as { code: string };
  return fail('DISK_FULL', { file, code });
}
