/** The desk's SQL for PostgreSQL: reviews, the emailed links' single use, and the summaries (see desk-sql.ts). */
import * as sql from '../desk-sql.js';
import type { DraftToSave, EditionResultsRow, EditionReviewRow, ReviewChange, Store, SubscriberDayRow, SubscriberStatus } from '../types.js';
import type { Queryable } from './connect.js';

type DeskMethods = Pick<Store, 'editionReviews' | 'editionReview' | 'saveDraft' | 'reviewEdition' | 'useReviewLink' | 'subscriberCounts' | 'subscriberDays' | 'editionResults'>;

export function deskStore(q: Queryable): DeskMethods {
  const rows = async <R>(text: string, values: unknown[] = []) => (await q.query(text, values)).rows as R[];
  const changed = async (text: string, values: unknown[]) => (await q.query(text, values)).rowCount === 1;
  return {
    editionReviews: () => rows<EditionReviewRow>(`SELECT ${sql.REVIEW_COLUMNS} FROM editions ${sql.REVIEW_ORDER}`),
    editionReview: async (id: string) => (await rows<EditionReviewRow>(`SELECT ${sql.REVIEW_COLUMNS} FROM editions WHERE id = $1`, [id]))[0],
    saveDraft: (id: string, draft: DraftToSave, now: Date) =>
      changed(sql.SAVE_DRAFT.replace('$5 IS NULL', '$5::text IS NULL'), [
        id,
        draft.reviewKey,
        JSON.stringify(draft.checks),
        draft.sendAt,
        draft.heldBecause ?? null,
        now.toISOString(),
      ]),
    reviewEdition: (id: string, change: ReviewChange, now: Date) =>
      change.decision === 'approved'
        ? changed(sql.APPROVE, [id, change.note, change.subject, change.by, now.toISOString()])
        : changed(sql.HOLD, [id, change.reason, change.by, now.toISOString()]),
    useReviewLink: (id: string, action: string, reviewKey: string, now: Date) => changed(sql.USE_REVIEW_LINK, [id, action, reviewKey, now.toISOString()]),
    subscriberCounts: async () => sql.countsByStatus(await rows<{ status: SubscriberStatus; n: number }>(sql.SUBSCRIBER_COUNTS)),
    subscriberDays: (from: string) => rows<SubscriberDayRow>(sql.SUBSCRIBER_DAYS, [from]),
    editionResults: () => rows<EditionResultsRow>(sql.EDITION_RESULTS),
  };
}
