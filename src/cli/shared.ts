/**
 * What every command group shares: a context opened for the action and closed after it, the options
 * several commands take, and listening with a one-line reason when it cannot. Heavy modules are
 * imported inside actions, so `marketwrap --help` loads none of them.
 */
import { Option } from 'commander';
import { parseUserDate } from '../edition/as-of.js';
import type { Context, ContextOptions } from '../shared/context.js';
import { fail } from '../shared/errors.js';

export async function openContext(options: ContextOptions = {}): Promise<Context> {
  const [{ createContext }, { buildInChildProcess }] = await Promise.all([import('../shared/context.js'), import('../edition/build-process.js')]);
  // Editions are built in a child process: the sender never loads MJML, the charts or the fetchers.
  const ctx = createContext({ buildEdition: buildInChildProcess, ...options });
  try {
    // A database that cannot be reached (or migrated) is said at once, in one line, before any work.
    await ctx.store.healthCheck();
  } catch (error) {
    await ctx.close().catch(() => undefined);
    throw error;
  }
  return ctx;
}

export function withContext<A extends unknown[]>(action: (ctx: Context, ...args: A) => Promise<void> | void) {
  return async (...args: A) => {
    const ctx = await openContext();
    try {
      await action(ctx, ...args);
    } finally {
      await ctx.close();
    }
  };
}

/**
 * A sending command's context, and a signal SIGINT or SIGTERM aborts: the command stops taking rows,
 * lets the messages in flight finish and be recorded, and leaves the rest queued. Both end with it.
 */
export async function whileSending(work: (ctx: Context, signal: AbortSignal) => Promise<void>): Promise<void> {
  const ctx = await openContext();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await work(ctx, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await ctx.close();
  }
}

/** Listens, or cleans up and says in one line why not (a port in use, a bad port). */
export async function listenOrExplain(listen: () => Promise<string>, host: string, port: number | string, setting: string, cleanup: () => Promise<void>): Promise<string> {
  try {
    return await listen();
  } catch (error) {
    await cleanup();
    const e = error as { code?: string; message?: string };
    throw fail('LISTEN_FAILED', { host, port, reason: String(e.code ?? e.message), setting });
  }
}

export const dataOption = () => new Option('--data <source>', 'market data: auto, live, demo or demo:<scenario> (default: MARKET_DATA)');
export const asOfOption = () =>
  new Option('--as-of <date>', 'the week ending on this date (YYYY-MM-DD; default: the last completed week)').argParser((value) => parseUserDate('--as-of', value));
