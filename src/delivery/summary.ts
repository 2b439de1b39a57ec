/** What a send reports: the edition's rows by state (read back from the ledger), what failed, how fast. */
import type { Ledger } from '../db/index.js';
import { ambiguousBound, type SendPolicy } from './outcomes.js';

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

export interface SummaryInput {
  ledger: Ledger;
  editionId: string;
  transport: { describe: string };
  policy: SendPolicy;
  clock: () => Date;
  signal?: AbortSignal;
}

/** The ledger's word on the edition after this sender's pass, which completes the edition when nothing is owed. */
export async function summarize(
  { ledger, editionId, transport, policy, clock, signal }: SummaryInput,
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
