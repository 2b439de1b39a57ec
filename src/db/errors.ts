import { EXIT, InputError, UserError } from '../errors.js';

/** The database cannot be opened or used as it is: a damaged file, a server that cannot be reached, a bad DATABASE_URL. */
export class DatabaseError extends InputError {
  override name = 'DatabaseError';
}

/** The database went away while working (a restart, a lost network): what was committed stays; say how to go on. */
export class DatabaseUnavailable extends UserError {
  override name = 'DatabaseUnavailable';
  readonly exitCode: number = EXIT.failed;
}

/** Node's socket errors and PostgreSQL's connection-exception (08) and shutdown (57P0x) classes. */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH)$/.test(e.code) || /^(08|57P0)/.test(e.code))) return true;
  return typeof e.message === 'string' && /^Connection terminated/.test(e.message);
}
