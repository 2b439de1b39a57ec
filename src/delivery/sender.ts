/**
 * Sends an edition through the ledger: rows are claimed (committed) just before their message goes
 * to the pool, a bounded number at a time, and outcomes are written back in batched transactions.
 * Whatever stops the process, a row is queued (send it), done, or was in flight (report it).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClaimedRow, Ledger, Outcome } from '../db/index.js';
import type { MessageFactory, PreparedMessage, Recipient } from './mime.js';
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
  /** At most this many messages can be left not knowing whether they arrived if the process dies now. */
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

export async function sendToList(input: ListSendInput): Promise<DeliverySummary> {
  const { ledger, editionId, owner, transport, policy, clock } = input;
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();

  // Rows left 'sending' by a dead sender (its lease ran out) were in flight at the crash: report them, apply the policy.
  const orphans = ledger.inFlight(editionId).filter((row) => !leaseHeld(row, clock()));
  const orphanOutcomes: Outcome[] = orphans.map((row) =>
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
  ledger.record(editionId, orphanOutcomes, clock(), policy.hardBounceLimit);
  const total = ledger.counts(editionId).total;

  let pending: Outcome[] = [];
  let lastFlush = Date.now();
  const flush = () => {
    if (pending.length === 0) return;
    ledger.record(editionId, pending, clock(), policy.hardBounceLimit);
    pending = [];
    lastFlush = Date.now();
  };
  const progress = () => {
    if (!input.onProgress) return;
    const c = ledger.counts(editionId);
    input.onProgress(c.sent + c.skipped + c.failedTemporary + c.failedPermanent + c.failedAmbiguous, total);
  };

  const inFlight = new Set<Promise<void>>();
  let stopped: string | undefined;
  const renewal = setInterval(() => ledger.renew(editionId, owner, clock()), LEASE_MS / 3);
  renewal.unref();
  const send = async (row: ClaimedRow) => {
    if (row.subscriber_status !== 'confirmed') {
      pending.push({ subscriberId: row.subscriber_id, status: 'skipped', reply: `subscriber is ${row.subscriber_status}` });
      return;
    }
    let message: PreparedMessage | undefined;
    try {
      message = input.build({ email: row.email, subscriberId: row.subscriber_id, unsubscribeUrl: input.unsubscribeUrl({ id: row.subscriber_id, token_key: row.token_key }) });
      await input.rate.take();
      const { reply } = await transport.send(message);
      pending.push({ subscriberId: row.subscriber_id, status: 'sent', reply, messageId: message.messageId });
    } catch (error) {
      const { failure, reply } = classify(error);
      if (failure === 'server') {
        // Not this recipient's fault: back to the queue, and no new rows until someone fixes the server side.
        stopped ??= reply;
        pending.push({ subscriberId: row.subscriber_id, status: 'released', reply });
      } else if (failure === 'temporary' && row.attempts < policy.maxAttempts) {
        const delay = policy.retryDelaySeconds * 1000 * 2 ** (row.attempts - 1);
        pending.push({ subscriberId: row.subscriber_id, status: 'retry', reply, nextAttemptAt: new Date(clock().getTime() + delay).toISOString() });
      } else if (failure === 'ambiguous' && policy.ambiguous === 'resend' && row.attempts < policy.maxAttempts) {
        pending.push({ subscriberId: row.subscriber_id, status: 'retry', reply, nextAttemptAt: clock().toISOString() });
      } else {
        pending.push({ subscriberId: row.subscriber_id, status: 'failed', failure, reply, bounce: failure === 'permanent' });
      }
    }
  };

  for (;;) {
    if (input.signal?.aborted || stopped) break;
    // Refill in batches (half the window at a time): one claim transaction per several messages.
    const room = policy.inFlight - inFlight.size;
    const rows = room >= Math.max(1, policy.inFlight / 2) || inFlight.size === 0 ? ledger.claim(editionId, owner, room, clock()) : [];
    for (const row of rows) {
      const task: Promise<void> = send(row).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    if (pending.length >= Math.min(FLUSH_EVERY, policy.inFlight) || (pending.length > 0 && Date.now() - lastFlush > 100)) {
      flush();
      progress();
    }
    if (inFlight.size > 0) {
      await Promise.race(inFlight);
      continue;
    }
    if (rows.length > 0) continue;
    flush();
    const next = ledger.nextRetry(editionId);
    if (next === undefined) break;
    // Only retries are left: wait for the earliest (or a stop signal).
    await Promise.race([sleep(Math.max(0, Date.parse(next) - clock().getTime())), abortPromise(input.signal)]);
  }
  // Stopping: in-flight messages finish and are recorded; the rest stay queued for --resume.
  await Promise.all(inFlight);
  clearInterval(renewal);
  flush();
  progress();

  const c = ledger.counts(editionId);
  // An edition with no rows is not done while the list has confirmed subscribers: it was never queued.
  if (c.queued === 0 && c.sending === 0 && (c.total > 0 || ledger.confirmedCount() === 0)) ledger.completeEdition(editionId, clock());
  const durationMs = Date.now() - started;
  const failures = ledger.failures(editionId).map((f) => ({ email: f.email, failure: f.failure, reply: f.last_reply ?? '' }));
  return {
    transport: transport.describe,
    total: c.total,
    sent: c.sent,
    skipped: c.skipped,
    failed: c.failedTemporary + c.failedPermanent + c.failedAmbiguous,
    failures: { temporary: c.failedTemporary, permanent: c.failedPermanent, ambiguous: c.failedAmbiguous },
    queued: c.queued,
    inFlightAtStart: orphans.map((o) => o.email),
    sending: c.sending,
    ...(stopped ? { stopped } : {}),
    ambiguousBound: ambiguousBound(policy),
    failedRecipients: failures,
    durationMs,
    ratePerSecond: durationMs > 0 ? Math.round((c.sent * 1000) / durationMs) : 0,
    interrupted: Boolean(input.signal?.aborted),
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
