/**
 * What the ledger records for a row, decided by the send policy (pure), and how many rows a sender may
 * hold unrecorded: the window in flight plus one batch of answers not yet written.
 */
import type { ClaimedRow, Outcome } from '../db/index.js';
import type { Failure } from './classify.js';

export interface SendPolicy {
  maxAttempts: number;
  retryDelaySeconds: number;
  hardBounceLimit: number;
  ambiguous: 'skip' | 'resend';
  /** Messages handed to the pool and not yet answered, at most: what a crash can leave ambiguous. */
  inFlight: number;
}

/** Outcomes are written in batches of at most this many (never more than the window). */
const BATCH_AT_MOST = 50;

export const batchSize = (policy: Pick<SendPolicy, 'inFlight'>) => Math.min(BATCH_AT_MOST, policy.inFlight);

/**
 * After a kill -9, rows in flight and answered-but-unwritten outcomes are left 'sending': the sender
 * never holds more than the window plus one batch, and the batch never exceeds the window.
 */
export function ambiguousBound(policy: Pick<SendPolicy, 'inFlight'>): number {
  return policy.inFlight + batchSize(policy);
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

/** A row a dead sender left in flight: maybe delivered, so failed as ambiguous, or resent when the policy says so. */
export function orphanOutcome(subscriberId: number, policy: Pick<SendPolicy, 'ambiguous'>, now: Date): Outcome {
  return policy.ambiguous === 'resend'
    ? { subscriberId, status: 'retry', reply: 'in flight when the previous sender stopped; resent by policy', nextAttemptAt: now.toISOString() }
    : { subscriberId, status: 'failed', failure: 'ambiguous', reply: 'in flight when the previous sender stopped: may have been delivered, not resent', bounce: false };
}
