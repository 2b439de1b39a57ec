/**
 * `marketwrap worker`: a sender with no edition of its own. It sends whatever editions the ledger has
 * in progress, sharing their rows (each claimed by one sender, leased) and their rate with every other
 * sender on the same database, on this machine or others. The edition comes from the database, so a
 * worker needs no copy of the publisher's DATA_DIR.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SavedEdition } from '../src/archive.js';
import type { Context } from '../src/context.js';
import { messageFactory, type DeliverySummary } from '../src/delivery/index.js';
import { SendRefused, savedEdition, sendList } from './weekly-digest.js';

export interface WorkerOptions {
  /** Stop when no edition is in progress (instead of waiting for the next). */
  once?: boolean;
  /** How often to look for editions in progress (ms). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Each pass over an edition, as the sender summarises it. */
  report?: (editionId: string, summary: DeliverySummary) => void;
  /** An edition this worker cannot send (its content is missing or damaged). */
  problem?: (editionId: string, message: string) => void;
}

/** One pass over the editions in progress; true when rows remain that this pass could not finish. */
async function sendInProgress(ctx: Context, options: WorkerOptions): Promise<{ editions: number; unfinished: boolean }> {
  const ids = await ctx.ledger.editionsInProgress();
  let unfinished = false;
  for (const id of ids) {
    if (options.signal?.aborted) break;
    let edition: SavedEdition;
    try {
      edition = await savedEdition(ctx, id);
    } catch (error) {
      if (!(error instanceof SendRefused)) throw error;
      options.problem?.(id, error.message);
      continue;
    }
    const summary = await sendList(ctx, id, messageFactory(edition, ctx.sender, ctx.clock(), ctx.dkim, ctx.proofKey), { signal: options.signal });
    options.report?.(id, summary);
    // Rows another live sender holds, or the server refused the session: look again after a pause.
    if (summary.sending > 0 || summary.queued > 0) unfinished = true;
  }
  return { editions: ids.length, unfinished };
}

export async function runWorker(ctx: Context, options: WorkerOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? 5000;
  while (!options.signal?.aborted) {
    const pass = await sendInProgress(ctx, options);
    if (options.once && pass.editions === 0) return;
    await sleep(pass.unfinished ? Math.min(pollMs, 1000) : pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
