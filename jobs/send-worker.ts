/**
 * `marketwrap worker`: a sender with no edition of its own. It sends whatever editions the ledger has
 * in progress, sharing their rows (each claimed by one sender, leased) and their rate with every other
 * sender on the same database, on this machine or others. The edition comes from the database, so a
 * worker needs no copy of the publisher's DATA_DIR.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SavedEdition } from '../src/edition/archive.js';
import type { DeliverySummary } from '../src/delivery/index.js';
import { EXIT, isRefusal } from '../src/shared/errors.js';
import { type DigestContext, savedEdition, sendEdition } from './weekly-digest.js';

export interface WorkerOptions {
  /** Stop when no edition is in progress (instead of waiting for the next). */
  once?: boolean;
  /** How often to look for editions in progress (ms). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Each pass over an edition, as the sender summarises it. */
  report?: (editionId: string, summary: DeliverySummary) => void;
  /** An edition this worker cannot send: its content is missing or damaged (exit 1), or its frozen terms refuse this worker (exit 3). Said once per edition and reason. */
  problem?: (editionId: string, message: string, exitCode: number) => void;
}

/**
 * One pass over the editions in progress: how many this worker could send, and whether rows remain
 * that it could not finish. An edition it may not send is left to the senders that may.
 */
async function sendInProgress(ctx: DigestContext, options: WorkerOptions, said: Set<string>): Promise<{ editions: number; unfinished: boolean }> {
  const ids = await ctx.ledger.editionsInProgress();
  let unfinished = false;
  let sendable = 0;
  for (const id of ids) {
    if (options.signal?.aborted) break;
    let edition: SavedEdition | undefined;
    try {
      edition = await savedEdition(ctx, id);
      const summary = await sendEdition(ctx, id, edition, { signal: options.signal });
      sendable++;
      options.report?.(id, summary);
      // Rows another live sender holds, or the server refused the session: look again after a pause.
      if (summary.sending > 0 || summary.queued > 0) unfinished = true;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Every poll meets the same refusal: say it once, not every five seconds.
      if (!said.has(`${id}\n${error.message}`)) options.problem?.(id, error.message, edition ? EXIT.refused : EXIT.failed);
      said.add(`${id}\n${error.message}`);
    }
  }
  return { editions: sendable, unfinished };
}

export async function runWorker(ctx: DigestContext, options: WorkerOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? 5000;
  const said = new Set<string>();
  while (!options.signal?.aborted) {
    const pass = await sendInProgress(ctx, options, said);
    if (options.once && pass.editions === 0) return;
    // Once, with every edition it could send finished: look again now (finding none, it exits) rather than a poll later.
    if (options.once && !pass.unfinished) continue;
    await sleep(pass.unfinished ? Math.min(pollMs, 1000) : pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
