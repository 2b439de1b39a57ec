/**
 * The SQLite queries this code asks for, by name, from the `-- name:` blocks of queries/*.sql. To add
 * one: write its block in the file of its area, add its name here, use it as `sql.<name>`.
 */
import { sourcePath } from '../../shared/paths.js';
import { DESK_QUERY_NAMES, loadQueries, once } from '../queries.js';

export const SQLITE_QUERY_NAMES = [
  // subscribers.sql
  'healthCheck',
  'findSubscriber',
  'addSubscriber',
  'setSubscriberStatus',
  'listSubscribers',
  'subscriberById',
  'confirmedSubscribers',
  'confirmedCount',
  'deleteSubscriber',
  'deleteSubscriberDeliveries',
  'deleteSubscriberClicks',
  'suppress',
  'importSubscriber',
  'suppressionReason',
  // editions.sql
  'markEditionSent',
  'sentEditions',
  'edition',
  'saveEdition',
  'delivery',
  'saveSendable',
  'sendable',
  // closes.sql
  'saveClose',
  'closes',
  'lastCloseDate',
  'cachedSources',
  // confirmations.sql
  'countConfirmation',
  'queueConfirmation',
  'dueConfirmations',
  'leaseConfirmation',
  'confirmationDone',
  'confirmationRetry',
  // feedback.sql
  'deliveryByMessageId',
  'addFeedbackEvent',
  'countHardBounce',
  'feedbackEvents',
  'untrustedFeedback',
  'feedbackCounts',
  // hits.sql
  'hits',
  'bumpHits',
  'pruneHits',
  // ledger.sql
  'beginEdition',
  'editionIds',
  'editionState',
  'editionsInProgress',
  'completeEdition',
  'queueAll',
  'claimable',
  'claim',
  'renew',
  'released',
  'skipped',
  'sent',
  'retry',
  'failed',
  'bounce',
  'inFlight',
  'requeueTemporary',
  'nextRetry',
  'counts',
  'failures',
  'sharedState',
  'putSharedState',
  // SQLite adds a batch's tally to the results row in a statement of its own (PostgreSQL, within 'record').
  'resultsRecorded',
  ...DESK_QUERY_NAMES,
] as const;

export type SqliteQueries = Readonly<Record<(typeof SQLITE_QUERY_NAMES)[number], string>>;

export const QUERIES_DIR = sourcePath('db', 'sqlite', 'queries');

/** Read when the first database opens; a missing or unused name fails that open. */
export const sqliteQueries: () => SqliteQueries = once(() => loadQueries(QUERIES_DIR, SQLITE_QUERY_NAMES));
