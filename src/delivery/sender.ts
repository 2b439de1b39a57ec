/**
 * Sends an edition through the ledger: rows are claimed (committed) just before their message goes
 * to the pool, a bounded number at a time, and outcomes are written back in batched transactions.
 * Whatever stops the process, a row is queued (send it), done, or was in flight (report it).
 */
import { setTimeout as setTimeoutPromise } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClaimedRow, Ledger, Outcome } from '../db/index.js';
import { messageOf } from '../errors.js';
import type { MessageFactory, Recipient } from './mime.js';
import type { RateLimit } from './rate.js';
import type { Transport } from './transports.js';

export interface SendPolicy {
  maxAttempts: number;
  retryDelaySeconds: number;
  hardBounceLimit: number;
  ambiguous: 'skip' | 'resend';
  /** Messages handed to the pool and not yet answered, at most: what a crash can leave ambiguous. */
  inFlight: number;
}

export interface FailedRecipient {
  email: string;
  failure: string;
  reply: string;
}

export interface DeliverySummary {
  transport: string;
  total: number;
  sent: number;
  skipped: number;
  failed: number;
  failures: { temporary: number; permanent: number; ambiguous: number };
  /** Rows still queued (stopped by a signal, or waiting for a retry that did not come). */
  queued: number;
  /** Messages that were in flight when an earlier sender died: maybe delivered, handled by policy. */
  inFlightAtStart: string[];
  /** Rows another live sender holds (its lease is current): not done, not ours to touch. */
  sending: number;
  /** The SMTP server refused the session (a 5xx before any recipient): the send stopped, rows stay queued. */
  stopped?: string;
  /**
   * At most this many of this sender's messages can be left not knowing whether they arrived if it dies:
   * its own window (each sender has one), never more than the edition's rows.
   */
  ambiguousBound: number;
  failedRecipients: FailedRecipient[];
  durationMs: number;
  ratePerSecond: number;
  interrupted: boolean;
}

export type Failure = 'temporary' | 'permanent' | 'ambiguous' | 'server';

/** A 5xx at DATA that names the recipient (RFC 3463: 5.1.x addressing, 5.2.x mailbox) counts against them. */
const RECIPIENT_STATUS = /^5\d\d[ -]5\.[12]\.\d+/;

/**
 * SMTP outcome classes. 4xx is temporary. A 5xx counts against the recipient only at RCPT TO, or at
 * DATA with a recipient status; a 5xx to the greeting, EHLO, AUTH or MAIL FROM is the server refusing
 * the session ('server': stop, keep the rows queued), as do a certificate or credentials it refuses. A
 * connection lost before the end of DATA went out is temporary; after it, ambiguous.
 */
export function classify(error: unknown): { failure: Failure; reply: string } {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string; command?: string };
  const reply = (e.response ?? e.message ?? String(error)).slice(0, 500);
  if (typeof e.responseCode === 'number') {
    if (e.responseCode < 500) return { failure: 'temporary', reply };
    if (e.command === 'RCPT TO' || (e.command === 'DATA' && RECIPIENT_STATUS.test(e.response ?? ''))) return { failure: 'permanent', reply };
    return { failure: 'server', reply };
  }
  // A certificate or credentials the server will not take: no message can go until someone fixes SMTP_URL.
  if (e.code === 'ETLS' || e.code === 'EAUTH') return { failure: 'server', reply };
  // Never connected, or lost before the end of DATA was written: nothing was accepted, so trying again is safe.
  if (e.code === 'ESOCKET' || e.code === 'EDNS' || e.code === 'ECONNREFUSED' || e.code === 'ENOTSENT') return { failure: 'temporary', reply };
  // Lost or timed out after the end of DATA was written: the message may have been accepted.
  return { failure: 'ambiguous', reply };
}

/** This run of this process: host, pid and a nonce (a restarted container may reuse both). */
const OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
export const processOwner = () => OWNER;

/** How long a claim holds without renewal: a sender renews every third of it while it lives. */
export const LEASE_MS = 60_000;

/**
 * Is a row in flight still held by a live sender? Its lease says so (renewed while the sender lives);
 * on this host a dead pid, or this very pid from an earlier run, releases it at once.
 */
export function leaseHeld(row: { claimed_by: string | null; claimed_at: string | null }, now: Date, leaseMs = LEASE_MS): boolean {
  if (!row.claimed_by || !row.claimed_at || Date.parse(row.claimed_at) < now.getTime() - leaseMs) return false;
  if (row.claimed_by === OWNER) return true;
  const [host, pid] = row.claimed_by.split(':');
  if (host !== hostname()) return true;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

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

/** Outcomes are written in batches of at most this many (and at least every 100 ms). */
const FLUSH_EVERY = 50;

/**
 * After a kill -9, rows in flight and answered-but-unwritten outcomes are left 'sending': at most the
 * window plus one batch, and the batch never exceeds the window, so twice the window.
 */
export function ambiguousBound(policy: Pick<SendPolicy, 'inFlight'>): number {
  return policy.inFlight + Math.min(FLUSH_EVERY, policy.inFlight);
}

/**
 * What the ledger records for a message that failed: the policy decision, pure. A server-level refusal
 * puts the row back untried; a temporary failure retries with doubling delays; an ambiguous one is
 * resent only when the policy says so; anything else is final (and a permanent failure bounces).
 */
export function failureOutcome(row: Pick<ClaimedRow, 'subscriber_id' | 'attempts'>, failure: Failure, reply: string, policy: SendPolicy, now: Date): Outcome {
  const subscriberId = row.subscriber_id;
  if (failure === 'server') return { subscriberId, status: 'released', reply };
  if (failure === 'temporary' && row.attempts < policy.maxAttempts) {
    const delay = policy.retryDelaySeconds * 1000 * 2 ** (row.attempts - 1);
    return { subscriberId, status: 'retry', reply, nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
  }
  if (failure === 'ambiguous' && policy.ambiguous === 'resend' && row.attempts < policy.maxAttempts)
    return { subscriberId, status: 'retry', reply, nextAttemptAt: now.toISOString() };
  return { subscriberId, status: 'failed', failure, reply, bounce: failure === 'permanent' };
}

/** Rows left 'sending' by a dead sender (its lease ran out) were in flight at the crash: report them, apply the policy. */
async function settleOrphans({ ledger, editionId, policy, clock }: ListSendInput) {
  const orphans = (await ledger.inFlight(editionId)).filter((row) => !leaseHeld(row, clock()));
  const outcomes: Outcome[] = orphans.map((row) =>
    policy.ambiguous === 'resend'
      ? { subscriberId: row.subscriber_id, status: 'retry', reply: 'in flight when the previous sender stopped; resent by policy', nextAttemptAt: clock().toISOString() }
      : {
          subscriberId: row.subscriber_id,
          status: 'failed',
          failure: 'ambiguous',
          reply: 'in flight when the previous sender stopped: may have been delivered, not resent',
          bounce: false,
        },
  );
  await ledger.record(editionId, outcomes, clock(), policy.hardBounceLimit);
  return orphans;
}

/**
 * Outcomes buffered and written in batches: at most FLUSH_EVERY (never more than the window) or every
 * 100 ms. Outcomes that arrive while a batch is being written wait for the next one.
 */
function outcomeBatch({ ledger, editionId, policy, clock, onProgress }: ListSendInput, total: number) {
  let pending: Outcome[] = [];
  let lastFlush = Date.now();
  const flush = async () => {
    const batch = pending;
    pending = [];
    lastFlush = Date.now();
    if (batch.length > 0) await ledger.record(editionId, batch, clock(), policy.hardBounceLimit);
    if (!onProgress) return;
    const c = await ledger.counts(editionId);
    onProgress(c.sent + c.skipped + c.failedTemporary + c.failedPermanent + c.failedAmbiguous, total);
  };
  return {
    push: (outcome: Outcome) => void pending.push(outcome),
    flush,
    flushIfDue: async () => {
      if (pending.length >= Math.min(FLUSH_EVERY, policy.inFlight) || (pending.length > 0 && Date.now() - lastFlush > 100)) await flush();
    },
  };
}

/** One claimed row: build its message, wait for the rate, send, and record what happened. */
async function deliverRow(row: ClaimedRow, input: ListSendInput, batch: ReturnType<typeof outcomeBatch>, stop: (reply: string) => void): Promise<void> {
  if (row.subscriber_status !== 'confirmed') return batch.push({ subscriberId: row.subscriber_id, status: 'skipped', reply: `subscriber is ${row.subscriber_status}` });
  try {
    const message = input.build({ email: row.email, subscriberId: row.subscriber_id, unsubscribeUrl: input.unsubscribeUrl({ id: row.subscriber_id, token_key: row.token_key }) });
    try {
      await input.rate.take(input.signal);
    } catch (error) {
      // Stopped (or the shared rate unreadable) before it was handed to SMTP: back to the queue untried.
      return batch.push({ subscriberId: row.subscriber_id, status: 'released', reply: input.signal?.aborted ? 'stopped before it was sent' : messageOf(error) });
    }
    const { reply } = await input.transport.send(message);
    batch.push({ subscriberId: row.subscriber_id, status: 'sent', reply, messageId: message.messageId });
  } catch (error) {
    const { failure, reply } = classify(error);
    // Not this recipient's fault: back to the queue, and no new rows until someone fixes the server side.
    if (failure === 'server') stop(reply);
    batch.push(failureOutcome(row, failure, reply, input.policy, input.clock()));
  }
}

export async function sendToList(input: ListSendInput): Promise<DeliverySummary> {
  const { ledger, editionId, owner, policy, clock } = input;
  const sleep = input.sleep ?? setTimeoutPromise;
  const started = Date.now();
  const orphans = await settleOrphans(input);
  const batch = outcomeBatch(input, (await ledger.counts(editionId)).total);
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
      if (input.signal?.aborted || stopped) break;
      // Refill in batches (half the window at a time): one claim transaction per several messages.
      const room = policy.inFlight - inFlight.size;
      const claiming = room >= Math.max(1, policy.inFlight / 2) || inFlight.size === 0;
      const rows = claiming ? await ledger.claim(editionId, owner, room, clock()) : [];
      for (const row of rows) {
        const task: Promise<void> = deliverRow(row, input, batch, stop).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      await batch.flushIfDue();
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      // Nothing claimed because the window was busy, and it emptied meanwhile (the batch write awaited): claim now.
      if (rows.length > 0 || !claiming) continue;
      await batch.flush();
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
  await batch.flush();
  return summarize(input, { orphans, stopped, started });
}

async function summarize(
  { ledger, editionId, transport, policy, clock, signal }: ListSendInput,
  run: { orphans: Array<{ email: string }>; stopped: string | undefined; started: number },
): Promise<DeliverySummary> {
  const c = await ledger.counts(editionId);
  // An edition with no rows is not done while the list has confirmed subscribers: it was never queued.
  if (c.queued === 0 && c.sending === 0 && (c.total > 0 || (await ledger.confirmedCount()) === 0)) await ledger.completeEdition(editionId, clock());
  const failed = await ledger.failures(editionId);
  const durationMs = Date.now() - run.started;
  return {
    transport: transport.describe,
    total: c.total,
    sent: c.sent,
    skipped: c.skipped,
    failed: c.failedTemporary + c.failedPermanent + c.failedAmbiguous,
    failures: { temporary: c.failedTemporary, permanent: c.failedPermanent, ambiguous: c.failedAmbiguous },
    queued: c.queued,
    inFlightAtStart: run.orphans.map((o) => o.email),
    sending: c.sending,
    ...(run.stopped ? { stopped: run.stopped } : {}),
    ambiguousBound: Math.min(ambiguousBound(policy), c.total),
    failedRecipients: failed.map((f) => ({ email: f.email, failure: f.failure, reply: f.last_reply ?? '' })),
    durationMs,
    ratePerSecond: durationMs > 0 ? Math.round((c.sent * 1000) / durationMs) : 0,
    interrupted: Boolean(signal?.aborted),
  };
}

function abortPromise(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** A test send to addresses off the list: no ledger, one attempt each, every result reported. */
export async function sendAdHoc(
  recipients: readonly Recipient[],
  build: MessageFactory,
  transport: Transport,
): Promise<DeliverySummary & { sentTo: Array<{ email: string; reply: string }> }> {
  const started = Date.now();
  const summary: DeliverySummary = {
    transport: transport.describe,
    total: recipients.length,
    sent: 0,
    skipped: 0,
    failed: 0,
    failures: { temporary: 0, permanent: 0, ambiguous: 0 },
    queued: 0,
    inFlightAtStart: [],
    sending: 0,
    ambiguousBound: 1,
    failedRecipients: [],
    durationMs: 0,
    ratePerSecond: 0,
    interrupted: false,
  };
  const sentTo: Array<{ email: string; reply: string }> = [];
  for (const recipient of recipients) {
    try {
      sentTo.push({ email: recipient.email, reply: (await transport.send(build(recipient))).reply });
      summary.sent++;
    } catch (error) {
      const { failure, reply } = classify(error);
      summary.failed++;
      summary.failures[failure === 'server' ? 'temporary' : failure]++;
      summary.failedRecipients.push({ email: recipient.email, failure, reply });
    }
  }
  summary.durationMs = Date.now() - started;
  return Object.assign(summary, { sentTo });
}
