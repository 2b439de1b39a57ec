/**
 * The send's answers written to the ledger behind it: a batch at a time, one write at a time, never
 * holding up the next claim. What is pushed and not yet committed is `unwritten`: the sender counts it
 * against what a crash may leave ambiguous.
 */
import type { Ledger, LedgerCounts, Outcome } from '../db/index.js';
import { batchSize, type SendPolicy } from './outcomes.js';

export interface WriterInput {
  ledger: Ledger;
  editionId: string;
  policy: SendPolicy;
  clock: () => Date;
  onProgress?: (done: number, total: number) => void;
}

/** Outcomes that settle a row for this send (a retry or a release leaves it to be sent again). */
const settles = (o: Outcome) => o.status === 'sent' || o.status === 'skipped' || o.status === 'failed';

export function outcomeWriter({ ledger, editionId, policy, clock, onProgress }: WriterInput, atStart: LedgerCounts) {
  const due = Math.max(1, Math.ceil(batchSize(policy) / 2));
  // Progress is counted here, not read back: a COUNT over the edition per batch grows with the list.
  let done = atStart.sent + atStart.skipped + atStart.failedTemporary + atStart.failedPermanent + atStart.failedAmbiguous;
  let pending: Outcome[] = [];
  let writing = 0;
  let current: Promise<void> | undefined;
  let failed: { error: unknown } | undefined;
  let lastWrite = Date.now();
  const write = (): Promise<void> => {
    const batch = pending;
    pending = [];
    writing = batch.length;
    lastWrite = Date.now();
    current = ledger
      .record(editionId, batch, clock(), policy.hardBounceLimit)
      .then(
        () => {
          done += batch.filter(settles).length;
          onProgress?.(done, atStart.total);
        },
        (error: unknown) => {
          failed ??= { error };
        },
      )
      .finally(() => {
        writing = 0;
        current = undefined;
      });
    return current;
  };
  const check = () => {
    if (failed) throw failed.error;
  };
  return {
    push: (outcome: Outcome) => void pending.push(outcome),
    /** Answered rows whose outcome is not committed yet (waiting, or being written). */
    unwritten: () => pending.length + writing,
    busy: () => current !== undefined,
    /** Starts a write when half a batch waits, 100 ms have passed, or `now` (nothing else will come). */
    writeIfDue(now: boolean): void {
      if (current || failed || pending.length === 0) return;
      if (now || pending.length >= due || Date.now() - lastWrite > 100) void write();
    },
    /** Resolves when the write in progress (if any) is done; never rejects (see check). */
    settled: () => current ?? Promise.resolve(),
    /** Throws the first write that failed: the send stops, its rows stay 'sending' for the next sender to report. */
    check,
    /** Everything pushed is committed (or the first failure thrown). */
    async drain(): Promise<void> {
      while (!failed && (current || pending.length > 0)) await (current ?? write());
      check();
    },
  };
}
