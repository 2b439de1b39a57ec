/**
 * The store interface: every read and write the project makes, as async operations, and the rows they
 * return. Two implementations (SQLite in src/db/sqlite, PostgreSQL in src/db/postgres) keep the same
 * numbered migrations and behaviour; the contract tests run against both.
 */
import type { DeskWebStore } from './desk-web.js';

export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained';
export type ConsentSource = 'form' | 'import' | 'cli';

export interface SubscriberRow {
  id: number;
  email: string;
  status: SubscriberStatus;
  consent_source: ConsentSource;
  created_at: string;
  status_changed_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  /** A random value each link of this subscriber signs (NULL for subscribers from before it existed). */
  token_key: string | null;
  /** The per-address confirmation throttle: the last one, and the count on its UTC day. */
  confirm_sent_at: string | null;
  confirm_day: string | null;
  confirm_day_count: number;
  /** Hard bounces counted so far (at the SMTP conversation and reported after it). */
  hard_bounces: number;
}

export interface DueConfirmation {
  subscriber_id: number;
  email: string;
  token: string;
  attempts: number;
}

export interface EditionRow {
  id: string;
  as_of: string;
  subject: string;
  headline: string | null;
  demo: number;
  sent_at: string | null;
}

/** The publisher's word on an edition before its send. */
export type ReviewDecision = 'draft' | 'approved' | 'held';
/** An edition's state as a whole: the publisher's word until its send starts, then the ledger's. */
export type EditionStatus = ReviewDecision | 'sending' | 'sent';

/** An edition as the desk shows it: the row, its review and where its send is. */
export interface EditionReviewRow extends EditionRow {
  state: EditionStatus;
  note: string | null;
  subject_override: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  held_reason: string | null;
  /** The findings of its build, a JSON array of strings (NULL: built before they were kept). */
  checks: string | null;
  send_at: string | null;
  review_key: string | null;
  created_at: string;
  send_started_at: string | null;
  send_completed_at: string | null;
}

/** A draft as the scheduled build saves it (the row itself is saved by saveEdition). */
export interface DraftToSave {
  /** A fresh random value: the emailed links sign it, so a rebuild voids the last build's links. */
  reviewKey: string;
  checks: readonly string[];
  /** When the schedule sends it. */
  sendAt: string | null;
  /** Held at once (a failed check under approval "auto"): why. */
  heldBecause?: string;
}

/** A change of the publisher's word: approve (with an optional note and subject) or hold (with why). */
export type ReviewChange = { decision: 'approved'; by: string; note: string | null; subject: string | null } | { decision: 'held'; by: string; reason: string };

/** An edition's results, from the summary table (kept as they change; see migration 012). */
export interface EditionResultsRow {
  edition_id: string;
  recipients: number;
  sent: number;
  failed: number;
  ambiguous: number;
  skipped: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  /** When the ledger's figures were copied (its send completed); NULL: still sending, count the ledger. */
  counted_at: string | null;
}

export interface SubscriberDayRow {
  day: string;
  joins: number;
  leaves: number;
}

export interface DeliveryRow {
  edition_id: string;
  subscriber_id: number;
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  last_reply: string | null;
  message_id: string | null;
  updated_at: string;
}

export interface EditionToSave {
  id: string;
  asOf: string;
  subject: string;
  headline: string;
  demo: boolean;
}

export interface FeedbackEvent {
  subscriberId: number | null;
  emailHash: string;
  editionId: string | null;
  kind: string;
  source: string;
  messageId: string | null;
  detail: string;
  /** What the report proved: 'proven', 'untrusted' (no proof: kept, never acted on) or 'held' (the breaker stopped acting). */
  trust: FeedbackTrust;
  /** The status it set ('bounced', 'complained'), if any: the circuit breaker counts these. */
  action: string | null;
  /** The relay's own id of the report: a second report with it is not recorded. */
  reportId: string | null;
}

export type FeedbackTrust = 'proven' | 'untrusted' | 'held';

/** Reports since a time: how many set a status, were held by the breaker, or proved nothing. */
export interface FeedbackCounts {
  acted: number;
  held: number;
  untrusted: number;
}

export interface FeedbackEventRow {
  kind: string;
  trust: string;
  source: string;
  edition_id: string | null;
  message_id: string | null;
  detail: string | null;
}

export interface CachedSource {
  source: string;
  first: string;
  last: string;
  count: number;
}

export interface ImportEntry {
  email: string;
  /** The suppression list's key for the address (sha256 of it in lower case). */
  emailHash: string;
}

export type ImportOutcome = { status: 'added' } | { status: 'duplicate' } | { status: 'suppressed'; reason: string };

/** Subscribers, editions, market cache, confirmation queue, feedback, and the desk's own (desk-web.ts). */
export interface Store extends DeskWebStore {
  /** A real read of the tables the site serves from (SELECT 1 answers even on a damaged database). */
  healthCheck(): Promise<void>;
  /** Runs `work` in one transaction on `tx`: all of it is stored, or none. */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;

  findSubscriber(email: string): Promise<SubscriberRow | undefined>;
  addSubscriber(email: string, status: SubscriberStatus, source: ConsentSource, now: Date): Promise<SubscriberRow>;
  /**
   * A batch of an import in a few statements: each address added as confirmed (consent 'import'), or a
   * duplicate (on the list already, or earlier in the batch), or suppressed with its reason; in order.
   */
  importSubscribers(entries: readonly ImportEntry[], now: Date): Promise<ImportOutcome[]>;
  setSubscriberStatus(id: number, status: SubscriberStatus, now: Date): Promise<void>;
  listSubscribers(): Promise<SubscriberRow[]>;
  confirmedSubscribers(): Promise<SubscriberRow[]>;
  subscriberById(id: number): Promise<SubscriberRow | undefined>;
  /** Erasure: the person's data goes, a hash stays so the address is never mailed again. */
  eraseSubscriber(id: number, emailHash: string, now: Date): Promise<void>;
  /** Why an address may never be mailed again ('erased', 'complained', 'bounced'), or undefined. */
  suppressionReason(emailHash: string): Promise<string | undefined>;
  suppress(emailHash: string, reason: string, now: Date): Promise<void>;

  markEditionSent(id: string, now: Date): Promise<void>;
  /** Newest first: by the week it covers, then by when it went out (a second edition of a week after the first). */
  sentEditions(): Promise<EditionRow[]>;
  edition(id: string): Promise<EditionRow | undefined>;
  /** Saves a built edition's row; once its send has started, the row stays as it was sent. */
  saveEdition(edition: EditionToSave, now: Date): Promise<void>;
  /** The edition as the senders need it (the saved JSON, templates and charts), for workers on other machines. */
  /** Saves (or replaces) the edition as senders need it; once its send has started, it stays as it was. */
  saveSendable(id: string, sendable: string): Promise<void>;
  sendable(id: string): Promise<string | undefined>;
  delivery(editionId: string, subscriberId: number): Promise<DeliveryRow | undefined>;

  /** Replaces revised closes: providers correct the last few sessions after the fact. */
  saveCloses(source: string, points: ReadonlyArray<{ date: string; close: number }>, now: Date): Promise<void>;
  closes(source: string, from: string, to: string): Promise<Array<{ date: string; close: number }>>;
  lastCloseDate(source: string): Promise<string | undefined>;
  cachedSources(): Promise<CachedSource[]>;

  /** Queues a confirmation email and counts it against the address's throttle, in one transaction. */
  queueConfirmation(id: number, token: string, now: Date, network?: string): Promise<void>;
  /**
   * Claims up to `limit` confirmation emails due at `now` until `leaseUntil`: another server sharing the
   * database skips them, and if this one dies they fall due again when the lease ends. Fair by the
   * `network` each was queued from: every network's oldest first, then every network's second, ...
   * so a flood from a few networks cannot keep a newcomer's email waiting behind it.
   */
  claimConfirmations(now: Date, limit: number, leaseUntil: Date): Promise<DueConfirmation[]>;
  confirmationDone(id: number): Promise<void>;
  confirmationRetry(id: number, error: string, next: Date): Promise<void>;

  deliveryByMessageId(messageId: string): Promise<{ edition_id: string; subscriber_id: number } | undefined>;
  /** False when the relay's report id was recorded already (a replay): nothing is stored. */
  addFeedbackEvent(event: FeedbackEvent, now: Date): Promise<boolean>;
  countHardBounce(id: number): Promise<void>;
  feedbackEvents(subscriberId: number): Promise<FeedbackEventRow[]>;
  /** Every report received since `since`, for the circuit breaker and /healthz. */
  feedbackCounts(since: Date): Promise<FeedbackCounts>;
  /** Reports that proved nothing (no subscriber is named by them), newest last. */
  untrustedFeedback(limit: number): Promise<FeedbackEventRow[]>;
  confirmedCount(): Promise<number>;

  /** Every edition built (drafts, held, sent), newest first as sentEditions orders them, with its review. */
  editionReviews(): Promise<EditionReviewRow[]>;
  editionReview(id: string): Promise<EditionReviewRow | undefined>;
  /** Makes the saved edition a fresh draft (its note and subject kept); false once its send has started. */
  saveDraft(id: string, draft: DraftToSave, now: Date): Promise<boolean>;
  /** Records the publisher's word; false when the edition is unknown or its send has started. */
  reviewEdition(id: string, change: ReviewChange, now: Date): Promise<boolean>;
  /** Records an emailed link's use: true the first time for (edition, action, review key), false after. */
  useReviewLink(id: string, action: string, reviewKey: string, now: Date): Promise<boolean>;
  /** Subscribers by status, from the summary kept as statuses change. */
  subscriberCounts(): Promise<Record<SubscriberStatus, number>>;
  /** Joins (became confirmed) and leaves (left confirmed) per UTC day from `from` (YYYY-MM-DD), oldest first. */
  subscriberDays(from: string): Promise<SubscriberDayRow[]>;
  /** Every edition's results row, newest edition first. */
  editionResults(): Promise<EditionResultsRow[]>;

  /**
   * Counts one hit on `key` in `scope`'s fixed window starting at `windowStart` (ms) and returns the
   * count so far. At most `maxKeys` keys a window: past that, a new key is neither stored nor counted
   * (0), so the table stays bounded and nobody's count is shared with an attacker's; the caller's
   * coarser limits judge it. Windows before the current one are dropped when a new one opens.
   */
  countHit(scope: string, key: string, windowStart: number, maxKeys: number): Promise<number>;
  /** The hits counted so far on `key` in `scope`'s window starting at `windowStart`, counting none. */
  hitCount(scope: string, key: string, windowStart: number): Promise<number>;
}

/**
 * The part of the store a consumer uses, named by that consumer (listmonk's interfaces declared where
 * they are used): `StorePart<'findSubscriber' | 'transaction'>`. A transaction hands it the same part.
 * The stores implement the whole; a consumer that names less cannot reach more.
 */
export type StorePart<K extends keyof Store> = Pick<Store, Exclude<K, 'transaction'>> &
  ('transaction' extends K ? { transaction<T>(work: (tx: StorePart<K>) => Promise<T>): Promise<T> } : unknown);

export interface ClaimedRow {
  subscriber_id: number;
  email: string;
  token_key: string | null;
  subscriber_status: string;
  attempts: number;
}

export type Outcome =
  | { subscriberId: number; status: 'sent'; reply: string; messageId: string }
  | { subscriberId: number; status: 'retry'; reply: string; nextAttemptAt: string }
  | { subscriberId: number; status: 'failed'; failure: 'temporary' | 'permanent' | 'ambiguous'; reply: string; bounce: boolean }
  | { subscriberId: number; status: 'skipped'; reply: string }
  /** Back to the queue as if never tried: the server, not the recipient, refused (a 5xx to MAIL FROM). */
  | { subscriberId: number; status: 'released'; reply: string };

export interface LedgerCounts {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  skipped: number;
  failedTemporary: number;
  failedPermanent: number;
  failedAmbiguous: number;
}

export interface EditionState {
  send_started_at: string | null;
  send_completed_at: string | null;
  send_owner: string | null;
}

export interface InFlightRow {
  subscriber_id: number;
  email: string;
  claimed_by: string | null;
  claimed_at: string | null;
}

/**
 * The delivery ledger: one row per (edition, subscriber), `queued -> sending -> sent | failed |
 * skipped`. A row is claimed (status 'sending', leased to its sender) in a committed transaction before
 * its message is handed to SMTP, so after any crash a row is either untouched, done, or was in flight.
 */
export interface Ledger {
  /** The edition-level claim: true for exactly one caller, whatever the number of processes; never for a held edition. */
  beginEdition(id: string, owner: string, now: Date): Promise<boolean>;
  /** Ids taken by editions of a week (2026-W47, 2026-W47-2, ...), for --new-edition. */
  editionIds(weekId: string): Promise<string[]>;
  editionState(id: string): Promise<EditionState | undefined>;
  /** Editions whose send started and has not finished: being sent, or interrupted. */
  editionsInProgress(): Promise<string[]>;
  /** Marks the send complete and copies the ledger's figures into the edition's results row. */
  completeEdition(id: string, now: Date): Promise<void>;
  /** One row per confirmed subscriber, in one statement. */
  queueAll(id: string, now: Date): Promise<number>;
  /**
   * Claims the edition and queues its rows in one transaction: a failure while queueing (a full disk,
   * a crash) leaves the edition unclaimed, never claimed with no rows. undefined: claimed by another.
   * `reviewKey`: claimed only while the review is the one the sender read (not rebuilt since).
   */
  beginAndQueue(id: string, owner: string, now: Date, reviewKey?: string): Promise<number | undefined>;
  confirmedCount(): Promise<number>;
  /** Extends the lease on this sender's rows in flight. */
  renew(id: string, owner: string, now: Date): Promise<number>;
  /** Claims up to `limit` due rows for `owner`, committed before any is sent; rows other senders hold are skipped. */
  claim(id: string, owner: string, limit: number, now: Date): Promise<ClaimedRow[]>;
  /** Writes a batch of outcomes in one transaction. */
  record(id: string, outcomes: readonly Outcome[], now: Date, bounceLimit: number): Promise<void>;
  inFlight(id: string): Promise<InFlightRow[]>;
  requeueTemporary(id: string, now: Date): Promise<number>;
  nextRetry(id: string): Promise<string | undefined>;
  counts(id: string): Promise<LedgerCounts>;
  failures(id: string): Promise<Array<{ email: string; failure: string; last_reply: string | null }>>;
  /**
   * Read-modify-write of a named state (a shared token bucket) under a lock: every sender process that
   * calls it for the same name is serialised, so a rate holds across all of them.
   */
  updateShared<T>(name: string, update: (state: string | undefined) => { state: string; result: T }): Promise<T>;
}

/** A database: the store, the ledger, and its lifecycle. */
export interface Database {
  kind: 'sqlite' | 'postgres';
  /** Where it is, for messages (the file, or the server without credentials). */
  describe: string;
  store: Store;
  ledger: Ledger;
  close(): Promise<void>;
}
