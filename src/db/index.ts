export { DatabaseError, openDb, dbFile, migrate, type Db } from './open.js';
export { createStore, type Store, type SubscriberRow, type EditionRow, type DeliveryRow, type SubscriberStatus, type ConsentSource } from './store.js';
export { createLedger, type Ledger, type Outcome, type ClaimedRow, type LedgerCounts } from './ledger.js';
