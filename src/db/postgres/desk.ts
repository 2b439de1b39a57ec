/** The desk's SQL for PostgreSQL (queries/desk.sql): reviews, the emailed links' single use, and the summaries. */
import { countsByStatus } from '../desk-figures.js';
import type { DraftToSave, EditionResultsRow, EditionReviewRow, ReviewChange, Store, SubscriberDayRow, SubscriberStatus } from '../types.js';
import type { Queryable } from './connect.js';
import type { PostgresQueries } from './queries.js';

type DeskMethods = Pick<Store, 'editionReviews' | 'editionReview' | 'saveDraft' | 'reviewEdition' | 'useReviewLink' | 'subscriberCounts' | 'subscriberDays' | 'editionResults'>;

export function deskStore(q: Queryable, sql: PostgresQueries): DeskMethods {
  const rows = async <R>(text: string, values: unknown[] = []) => (await q.query(text, values)).rows as R[];
  const changed = async (text: string, values: unknown[]) => (await q.query(text, values)).rowCount === 1;
  return {
    editionReviews: () => rows<EditionReviewRow>(sql.editionReviews),
    editionReview: async (id: string) => (await rows<EditionReviewRow>(sql.editionReview, [id]))[0],
    saveDraft: (id: string, draft: DraftToSave, now: Date) =>
      changed(sql.saveDraft, [id, draft.reviewKey, JSON.stringify(draft.checks), draft.sendAt, draft.heldBecause ?? null, now.toISOString()]),
    reviewEdition: (id: string, change: ReviewChange, now: Date) =>
      change.decision === 'approved'
        ? changed(sql.approveEdition, [id, change.note, change.subject, change.by, now.toISOString()])
        : changed(sql.holdEdition, [id, change.reason, change.by, now.toISOString()]),
    useReviewLink: (id: string, action: string, reviewKey: string, now: Date) => changed(sql.useReviewLink, [id, action, reviewKey, now.toISOString()]),
    subscriberCounts: async () => countsByStatus(await rows<{ status: SubscriberStatus; n: number }>(sql.subscriberCounts)),
    subscriberDays: (from: string) => rows<SubscriberDayRow>(sql.subscriberDays, [from]),
    editionResults: () => rows<EditionResultsRow>(sql.editionResults),
  };
}
