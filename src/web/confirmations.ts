/**
 * The confirmation queue's worker: the subscribe form only queues (and answers at once, the same way
 * for every address); this sends what is due, retrying with backoff while SMTP is down.
 */
import type { ContextUsing } from '../shared/context.js';
import type { Ledger, StorePart } from '../db/index.js';
import { composeMessage, tokenBucket } from '../delivery/index.js';
import { renderTransactional } from '../render/index.js';
import { CONFIRM_TTL_DAYS, confirmUrl } from '../subscribers/index.js';
import { messageOf } from '../shared/errors.js';

const BATCH = 20;
const MAX_ATTEMPTS = 8;
/** The first retry after 30 s, doubling: eight attempts span about two hours. */
const RETRY_BASE_MS = 30_000;
/** A claimed confirmation is this server's for 5 minutes: others sharing the database skip it meanwhile. */
const LEASE_MS = 5 * 60_000;
/**
 * Confirmations a second for all servers together (a bucket in the database): whatever gets past the
 * form's limits cannot turn the site into a fast mailer, and the queue's fairness decides who goes first.
 */
export const CONFIRMATIONS_PER_SECOND = 10;

/** The worker's part of the database: the confirmation queue, and the shared bucket that paces it. */
type ConfirmationContext = ContextUsing<StorePart<'claimConfirmations' | 'confirmationDone' | 'confirmationRetry'>, Pick<Ledger, 'updateShared'>>;

export interface ConfirmationWorker {
  /** Sends what is due now; resolves when done (tests and start-up call it directly). */
  runOnce(): Promise<number>;
  stop(): void;
}

export function startConfirmationWorker(ctx: ConfirmationContext, intervalMs = 1000, perSecond = CONFIRMATIONS_PER_SECOND): ConfirmationWorker {
  const rate = tokenBucket(perSecond, 0, (name, update) => ctx.ledger.updateShared(name, update), 'confirmations');
  let running: Promise<number> | undefined;
  const runOnce = async (): Promise<number> => {
    let sent = 0;
    const now = ctx.clock();
    for (const due of await ctx.store.claimConfirmations(now, BATCH, new Date(now.getTime() + LEASE_MS))) {
      try {
        const mail = await renderTransactional(ctx.templatesDir, 'confirm', {
          title: ctx.config.title,
          tagline: ctx.config.tagline,
          email: due.email,
          postalAddress: ctx.config.postalAddress,
          confirmUrl: confirmUrl(ctx, due.token),
          days: String(CONFIRM_TTL_DAYS),
        });
        await rate.take();
        await ctx.transport().send(await composeMessage({ from: ctx.sender, to: due.email, ...mail, dkim: ctx.dkim }));
        await ctx.store.confirmationDone(due.subscriber_id);
        sent++;
      } catch (error) {
        const message = messageOf(error);
        if (due.attempts + 1 >= MAX_ATTEMPTS) {
          ctx.log.error({ err: message, subscriber: due.subscriber_id }, 'confirmation email given up after retries');
          await ctx.store.confirmationDone(due.subscriber_id);
        } else {
          ctx.log.warn({ err: message, attempt: due.attempts + 1 }, 'confirmation email failed; will retry');
          await ctx.store.confirmationRetry(due.subscriber_id, message, new Date(ctx.clock().getTime() + RETRY_BASE_MS * 2 ** due.attempts));
        }
      }
    }
    return sent;
  };
  const tick = () => {
    if (ctx.closed) return clearInterval(timer); // the context closed under a server nobody closed
    running ??= runOnce()
      .catch((error: unknown) => {
        ctx.log.error({ err: messageOf(error) }, 'confirmation queue');
        return 0;
      })
      .finally(() => (running = undefined));
  };
  const timer: NodeJS.Timeout = setInterval(tick, intervalMs);
  timer.unref();
  return {
    runOnce: () => (running ??= runOnce().finally(() => (running = undefined))),
    stop: () => clearInterval(timer),
  };
}
