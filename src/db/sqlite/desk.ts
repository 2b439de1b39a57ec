/** The desk's SQL for SQLite (queries/desk.sql): reviews, the emailed links' single use, and the summaries. */
import { countsByStatus } from '../desk-figures.js';
import type { DraftToSave, EditionResultsRow, EditionReviewRow, ReviewChange, SubscriberDayRow, SubscriberStatus } from '../types.js';
import type { Db } from './open.js';
import { prepareNumbered } from './numbered.js';
import type { SqliteQueries } from './queries.js';

export function deskStore(db: Db, sql: SqliteQueries) {
  const s = {
    reviews: db.prepare<[], EditionReviewRow>(sql.editionReviews),
    review: prepareNumbered<EditionReviewRow>(db, sql.editionReview),
    saveDraft: prepareNumbered(db, sql.saveDraft),
    approve: prepareNumbered(db, sql.approveEdition),
    hold: prepareNumbered(db, sql.holdEdition),
    useLink: prepareNumbered(db, sql.useReviewLink),
    counts: db.prepare<[], { status: SubscriberStatus; n: number }>(sql.subscriberCounts),
    days: prepareNumbered<SubscriberDayRow>(db, sql.subscriberDays),
    results: db.prepare<[], EditionResultsRow>(sql.editionResults),
  };
  return {
    editionReviews: () => s.reviews.all(),
    editionReview: (id: string) => s.review.get(id),
    saveDraft: (id: string, draft: DraftToSave, now: Date) =>
      s.saveDraft.run(id, draft.reviewKey, JSON.stringify(draft.checks), draft.sendAt, draft.heldBecause ?? null, now.toISOString()).changes === 1,
    reviewEdition: (id: string, change: ReviewChange, now: Date) =>
      (change.decision === 'approved' ? s.approve.run(id, change.note, change.subject, change.by, now.toISOString()) : s.hold.run(id, change.reason, change.by, now.toISOString()))
        .changes === 1,
    useReviewLink: (id: string, action: string, reviewKey: string, now: Date) => s.useLink.run(id, action, reviewKey, now.toISOString()).changes === 1,
    subscriberCounts: () => countsByStatus(s.counts.all()),
    subscriberDays: (from: string) => s.days.all(from),
    editionResults: () => s.results.all(),
  };
}
