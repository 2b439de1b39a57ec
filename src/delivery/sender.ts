/**
 * Sends an edition through the ledger: rows are claimed (committed) just before their message goes
 * to the pool, a bounded number at a time, and outcomes are written back in batches behind the send.
 * Whatever stops the process, a row is queued (send it), done, or was in flight (report it).
 */
import { setTimeout as setTimeoutPromise } from 'node:timers/promises';
import type { ClaimedRow, Ledger } from '../db/index.js';
import { messageOf } from '../shared/errors.js';
import { classify } from './classify.js';
import { LEASE_MS, leaseHeld } from './lease.js';
import type { MessageFactory } from './mime.js';
import { outcomeWriter } from './outcome-writer.js';
import { ambiguousBound, failureOutcome, orphanOutcome, type SendPolicy } from './outcomes.js';
import type { RateLimit } from './rate.js';
import { type DeliverySummary, summarize } from './summary.js';
import type { Transport } from './transports.js';

export interface ListSendInput {
  ledger: Ledger;
  editionId: string;
  owner: string;
  build: MessageFactory;
  unsubscribeUrl: (subscriber: { id: number; token_key: string | null }) => string;
  transport: Transport;
  rate: RateLimit;
  policy: SendPolicy;
  clock: () => Date;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

type Writer = ReturnType<typeof outcomeWriter>;

/** Rows left 'sending' by a dead sender (its lease ran out) were in flight at the crash: report them, apply the policy. */
async function settleOrphans({ ledger, editionId, policy, clock }: ListSendInput) {
  const orphans = (await ledger.inFlight(editionId)).filter((row) => !leaseHeld(row, clock()));
  await ledger.record(
    editionId,
    orphans.map((row) => orphanOutcome(row.subscriber_id, policy, clock())),
    clock(),
    policy.hardBounceLimit,
  );
  return orphans;
}

/** One claimed row: build its message, wait for the rate, send, and record what happened. */
async function deliverRow(row: ClaimedRow, input: ListSendInput, writer: Writer, stop: (reply: string) => void): Promise<void> {
  if (row.subscriber_status !== 'confirmed') return writer.push({ subscriberId: row.subscriber_id, status: 'skipped', reply: `subscriber is ${row.subscriber_status}` });
  try {
    const message = input.build({ email: row.email, subscriberId: row.subscriber_id, unsubscribeUrl: input.unsubscribeUrl({ id: row.subscriber_id, token_key: row.token_key }) });
    try {
      await input.rate.take(input.signal);
    } catch (error) {
      // Stopped (or the shared rate unreadable) before it was handed to SMTP: back to the queue untried.
      return writer.push({ subscriberId: row.subscriber_id, status: 'released', reply: input.signal?.aborted ? 'stopped before it was sent' : messageOf(error) });
    }
    const { reply } = await input.transport.send(message);
    writer.push({ subscriberId: row.subscriber_id, status: 'sent', reply, messageId: message.messageId });
  } catch (error) {
    const { failure, reply } = classify(error);
    // Not this recipient's fault: back to the queue, and no new rows until someone fixes the server side.
    if (failure === 'server') stop(reply);
    writer.push(failureOutcome(row, failure, reply, input.policy, input.clock()));
  }
}

/**
 * How many rows to claim now: room in the window, and never more claimed-but-unrecorded rows than a
 * crash may leave ambiguous. Claimed half a window at a time (one round trip per several messages),
 * or whatever fits when nothing is in flight.
 */
function rowsToClaim(policy: SendPolicy, inFlight: number, unwritten: number): number {
  const room = Math.min(policy.inFlight - inFlight, ambiguousBound(policy) - inFlight - unwritten);
  return room >= Math.max(1, policy.inFlight / 2) || (inFlight === 0 && room > 0) ? room : 0;
}

export async function sendToList(input: ListSendInput): Promise<DeliverySummary> {
  const { ledger, editionId, owner, policy, clock } = input;
  const sleep = input.sleep ?? setTimeoutPromise;
  const started = Date.now();
  const orphans = await settleOrphans(input);
  const writer = outcomeWriter(input, await ledger.counts(editionId));
  const inFlight = new Set<Promise<void>>();
  let stopped: string | undefined;
  const stop = (reply: string) => {
    stopped ??= reply;
  };
  // A renewal that fails (the database away for a moment) is tried again a third of a lease later.
  const renewal = setInterval(() => ledger.renew(editionId, owner, clock()).catch(() => undefined), LEASE_MS / 3);
  renewal.unref();
  try {
    for (;;) {
      writer.check();
      if (input.signal?.aborted || stopped) break;
      const wanted = rowsToClaim(policy, inFlight.size, writer.unwritten());
      const rows = wanted > 0 ? await ledger.claim(editionId, owner, wanted, clock()) : [];
      for (const row of rows) {
        const task: Promise<void> = deliverRow(row, input, writer, stop).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      writer.writeIfDue(inFlight.size === 0);
      // A message answered, or a batch written (which frees room to claim): look again.
      if (inFlight.size > 0 || writer.busy()) {
        await Promise.race(writer.busy() ? [...inFlight, writer.settled()] : inFlight);
        continue;
      }
      await writer.drain();
      const next = await ledger.nextRetry(editionId);
      if (next === undefined) break;
      // Only retries are left: wait for the earliest (or a stop signal).
      await Promise.race([sleep(Math.max(0, Date.parse(next) - clock().getTime())), abortPromise(input.signal)]);
    }
  } finally {
    // Stopping, or the database lost: messages in flight finish (and are recorded when it can be).
    await Promise.allSettled(inFlight);
    clearInterval(renewal);
  }
  // The rest stay queued for --resume.
  await writer.drain();
  return summarize(input, { orphans, stopped, started });
}

function abortPromise(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
