/** The desk's figures as the stores read them (their SQL is in <database>/queries/desk.sql). */
import type { Outcome, SubscriberStatus } from './types.js';

/** Every status, 0 where none. */
export function countsByStatus(rows: ReadonlyArray<{ status: SubscriberStatus; n: number | string }>): Record<SubscriberStatus, number> {
  const counts: Record<SubscriberStatus, number> = { pending: 0, confirmed: 0, unsubscribed: 0, bounced: 0, complained: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** A batch of outcomes as resultsRecorded's values after the id: sent, failed, ambiguous, skipped. */
export function tally(outcomes: readonly Outcome[]): [number, number, number, number] {
  const count = (test: (o: Outcome) => boolean) => outcomes.filter(test).length;
  return [
    count((o) => o.status === 'sent'),
    count((o) => o.status === 'failed' && o.failure !== 'ambiguous'),
    count((o) => o.status === 'failed' && o.failure === 'ambiguous'),
    count((o) => o.status === 'skipped'),
  ];
}
