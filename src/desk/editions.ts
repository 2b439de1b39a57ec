/**
 * The publisher's editions: the list, one edition, and their word on the next one (approve with an
 * optional note and subject, or hold with why). The CLI's `editions` commands and the web desk call
 * these with the store, the ledger and the clock; bad input fails with exit 2, a review of an
 * edition whose send has started is refused (exit 3).
 */
import type { EditionResultsRow, EditionReviewRow, Ledger, LedgerCounts, StorePart } from '../db/types.js';
import { type Failure, fail } from '../shared/errors.js';
import { type Approval, approvalSchema, editionIdSchema, type EditionResults, type EditionSummary, type Hold, holdSchema } from './schemas.js';

/** What reading editions and their figures takes. */
type EditionReader = { store: StorePart<'editionReview' | 'editionReviews' | 'editionResults'>; ledger: Pick<Ledger, 'counts'> };

/** The desk's part of the database: reviews, summaries, the single-use links; the ledger's counts of an edition counted before the summaries. */
export interface DeskDeps {
  store: StorePart<'editionResults' | 'editionReview' | 'editionReviews' | 'reviewEdition' | 'subscriberCounts' | 'subscriberDays' | 'sendable' | 'useReviewLink'>;
  ledger: Pick<Ledger, 'counts'>;
  clock: () => Date;
}

/** One line from the first thing wrong with the input. */
export function parseInput<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fail('REVIEW_INPUT_INVALID', { problem: parsed.error.issues[0]!.message });
  return parsed.data;
}

/**
 * An edition's results: none before its send; the exact copy made when it completed; while it sends,
 * the figures kept as its rows are recorded. Only an edition sent before they were kept is counted
 * from the ledger (`live`).
 */
export function resultsOf(row: EditionReviewRow, counted: EditionResultsRow | undefined, live: LedgerCounts | undefined): EditionResults | null {
  if (row.state !== 'sending' && row.state !== 'sent') return null;
  const after = { bounced: counted?.bounced ?? 0, complained: counted?.complained ?? 0, unsubscribed: counted?.unsubscribed ?? 0 };
  if (counted && !live) {
    const final = row.state === 'sent' && counted.counted_at !== null;
    return { recipients: counted.recipients, sent: counted.sent, failed: counted.failed, ambiguous: counted.ambiguous, ...after, final };
  }
  const c = live ?? { total: 0, sent: 0, failedTemporary: 0, failedPermanent: 0, failedAmbiguous: 0 };
  return { recipients: c.total, sent: c.sent, failed: c.failedTemporary + c.failedPermanent, ambiguous: c.failedAmbiguous, ...after, final: false };
}

function parseChecks(checks: string | null): string[] {
  return checks === null ? [] : (JSON.parse(checks) as string[]);
}

export function summaryOf(row: EditionReviewRow, results: EditionResults | null): EditionSummary {
  return {
    id: row.id,
    asOf: row.as_of,
    state: row.state,
    subject: row.subject_override ?? row.subject,
    builtSubject: row.subject,
    headline: row.headline,
    demo: row.demo === 1,
    note: row.note,
    checks: parseChecks(row.checks),
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    heldReason: row.held_reason,
    sendAt: row.send_at,
    builtAt: row.created_at,
    sentAt: row.sent_at,
    results,
  };
}

/** Only an edition whose figures were never kept (its send began before migration 012) is counted from the ledger. */
async function summarise(deps: EditionReader, row: EditionReviewRow, counted: EditionResultsRow | undefined): Promise<EditionSummary> {
  const needsLedger = (row.state === 'sending' || row.state === 'sent') && !(counted?.counted_at || counted?.recipients);
  return summaryOf(row, resultsOf(row, counted, needsLedger ? await deps.ledger.counts(row.id) : undefined));
}

/** Every edition built (drafts, held, approved, sending, sent), newest first. */
export async function listEditions(deps: EditionReader): Promise<EditionSummary[]> {
  const [rows, results] = await Promise.all([deps.store.editionReviews(), deps.store.editionResults()]);
  const byId = new Map(results.map((r) => [r.edition_id, r]));
  const summaries: EditionSummary[] = [];
  for (const row of rows) summaries.push(await summarise(deps, row, byId.get(row.id)));
  return summaries;
}

async function editionRow(deps: EditionReader, id: string): Promise<EditionReviewRow> {
  const valid = parseInput(editionIdSchema, id);
  const row = await deps.store.editionReview(valid);
  if (!row) throw fail('EDITION_UNKNOWN', { id: valid });
  return row;
}

export async function showEdition(deps: EditionReader, id: string): Promise<EditionSummary> {
  const row = await editionRow(deps, id);
  const counted = (await deps.store.editionResults()).find((r) => r.edition_id === row.id);
  return summarise(deps, row, counted);
}

function startedRefusal(id: string, state: string, verb: string): Failure {
  return fail('EDITION_STARTED', { verb, id, state: state === 'sent' ? 'was sent' : 'is being sent' });
}

/** Approves an edition not yet sending; `note` / `subject` undefined keep what it has, a note of "" removes it. */
export async function approveEdition(deps: DeskDeps, id: string, approval: Approval): Promise<EditionSummary> {
  const input = parseInput(approvalSchema, approval);
  const row = await editionRow(deps, id);
  if (row.state === 'sending' || row.state === 'sent') throw startedRefusal(row.id, row.state, 'approve');
  const note = input.note === undefined ? row.note : input.note || null;
  const subject = input.subject === undefined ? row.subject_override : input.subject === row.subject ? null : input.subject;
  if (!(await deps.store.reviewEdition(row.id, { decision: 'approved', by: input.by, note, subject }, deps.clock()))) throw startedRefusal(row.id, 'sending', 'approve');
  return showEdition(deps, row.id);
}

/** Holds an edition not yet sending: nothing goes to the list until it is approved (or rebuilt, then approved). */
export async function holdEdition(deps: DeskDeps, id: string, hold: Hold): Promise<EditionSummary> {
  const input = parseInput(holdSchema, hold);
  const row = await editionRow(deps, id);
  if (row.state === 'sending' || row.state === 'sent') throw startedRefusal(row.id, row.state, 'hold');
  if (!(await deps.store.reviewEdition(row.id, { decision: 'held', by: input.by, reason: input.reason }, deps.clock()))) throw startedRefusal(row.id, 'sending', 'hold');
  return showEdition(deps, row.id);
}
