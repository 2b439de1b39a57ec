/** The desk's SQL for SQLite: reviews, the emailed links' single use, and the summaries (see desk-sql.ts). */
import * as sql from '../desk-sql.js';
import type { DraftToSave, EditionResultsRow, EditionReviewRow, ReviewChange, SubscriberDayRow, SubscriberStatus } from '../types.js';
import type { Db } from './open.js';

/** The shared SQL's $1, $2, ... as named parameters (@p1, ...), bound from the arguments in order. */
export function prepareNumbered<R = unknown>(db: Db, text: string) {
  const statement = db.prepare(text.replace(/\$(\d+)/g, '@p$1'));
  const bind = (args: unknown[]) => Object.fromEntries(args.map((value, i) => [`p${i + 1}`, value]));
  return {
    run: (...args: unknown[]) => statement.run(bind(args)),
    get: (...args: unknown[]) => statement.get(bind(args)) as R | undefined,
    all: (...args: unknown[]) => statement.all(bind(args)) as R[],
  };
}

export function deskStore(db: Db) {
  const s = {
    reviews: db.prepare<[], EditionReviewRow>(`SELECT ${sql.REVIEW_COLUMNS} FROM editions ${sql.REVIEW_ORDER}`),
    review: db.prepare<[string], EditionReviewRow>(`SELECT ${sql.REVIEW_COLUMNS} FROM editions WHERE id = ?`),
    saveDraft: prepareNumbered(db, sql.SAVE_DRAFT),
    approve: prepareNumbered(db, sql.APPROVE),
    hold: prepareNumbered(db, sql.HOLD),
    useLink: prepareNumbered(db, sql.USE_REVIEW_LINK),
    counts: db.prepare<[], { status: SubscriberStatus; n: number }>(sql.SUBSCRIBER_COUNTS),
    days: prepareNumbered<SubscriberDayRow>(db, sql.SUBSCRIBER_DAYS),
    results: db.prepare<[], EditionResultsRow>(sql.EDITION_RESULTS),
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
    subscriberCounts: () => sql.countsByStatus(s.counts.all()),
    subscriberDays: (from: string) => s.days.all(from),
    editionResults: () => s.results.all(),
  };
}
