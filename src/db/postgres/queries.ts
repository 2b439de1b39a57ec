/**
 * The PostgreSQL queries this code asks for, by name, from the `-- name:` blocks of queries/*.sql. To
 * add one: write its block in the file of its area, add its name here, use it as `sql.<name>`.
 */
import { sourcePath } from '../../shared/paths.js';
import { DESK_QUERY_NAMES, loadQueries, once } from '../queries.js';

export const POSTGRES_QUERY_NAMES = [
  // migrations.sql
  'lockMigrations',
  'createMigrationsTable',
  'appliedMigrations',
  'recordMigration',
  // subscribers.sql
  'healthCheck',
  'findSubscriber',
  'addSubscriber',
  'setSubscriberStatus',
  'listSubscribers',
  'confirmedSubscribers',
  'subscriberById',
  'confirmedCount',
  'suppressionReason',
  'suppress',
  'suppressionsAmong',
  'importSubscribers',
  'deleteSubscriberDeliveries',
  'deleteSubscriberClicks',
  'deleteSubscriber',
  // editions.sql
  'markEditionSent',
  'sentEditions',
  'edition',
  'saveEdition',
  'saveSendable',
  'sendable',
  'delivery',
  // closes.sql
  'saveCloses',
  'closes',
  'lastCloseDate',
  'cachedSources',
  // confirmations.sql
  'queueConfirmation',
  'claimConfirmations',
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
  'lockHitScope',
  'hits',
  'bumpHits',
  'pruneHits',
  // ledger.sql
  'queueAll',
  'beginEdition',
  'editionIds',
  'editionState',
  'editionsInProgress',
  'completeEdition',
  'renew',
  'claim',
  'record',
  'inFlight',
  'requeueTemporary',
  'nextRetry',
  'counts',
  'failures',
  'addSharedState',
  'lockSharedState',
  'putSharedState',
  ...DESK_QUERY_NAMES,
] as const;

export type PostgresQueries = Readonly<Record<(typeof POSTGRES_QUERY_NAMES)[number], string>>;

export const QUERIES_DIR = sourcePath('db', 'postgres', 'queries');

/** Read when the first database opens; a missing or unused name fails that open. */
export const postgresQueries: () => PostgresQueries = once(() => loadQueries(QUERIES_DIR, POSTGRES_QUERY_NAMES));
