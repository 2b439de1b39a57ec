/** Statements whose SQL numbers its parameters as its PostgreSQL twin does ($1 there, @p1 here). */
import type { Db } from './open.js';

/** A query written with @p1, @p2, ... (as its PostgreSQL twin's $1, $2), bound from the arguments in order. */
export function prepareNumbered<R = unknown>(db: Db, text: string) {
  const statement = db.prepare(text);
  const bind = (args: unknown[]) => Object.fromEntries(args.map((value, i) => [`p${i + 1}`, value]));
  return {
    run: (...args: unknown[]) => statement.run(bind(args)),
    get: (...args: unknown[]) => statement.get(bind(args)) as R | undefined,
    all: (...args: unknown[]) => statement.all(bind(args)) as R[],
  };
}
