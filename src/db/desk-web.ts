/** What the desk (the web admin) keeps beyond the rest of the store: its sign-ins, click counts, and the reads its pages make. */
import type { DeliveryRow, FeedbackEventRow, SubscriberRow } from './types.js';

export type AdminTokenKind = 'session' | 'link';

/** One link of an edition: clicks in all, and how many people clicked it (0 unless tracking.perSubscriber). */
export interface ClickCount {
  url: string;
  clicks: number;
  people: number;
}

export interface FeedbackLogRow extends FeedbackEventRow {
  id: number;
  received_at: string;
  action: string | null;
  /** The subscriber's address while they are on the list (an erased one is a hash only). */
  email: string | null;
}

export interface DeskWebStore {
  /** Keeps a session or a sign-in link by the hash of its secret, until `expiresAt`; expired ones go. */
  saveAdminToken(kind: AdminTokenKind, hash: string, csrf: string, expiresAt: Date, now: Date): Promise<void>;
  /** The live session with this hash, or undefined. */
  adminSession(hash: string, now: Date): Promise<{ csrf: string } | undefined>;
  /** Deletes the token; true for exactly one caller, and only while it was live (a link works once). */
  takeAdminToken(kind: AdminTokenKind, hash: string, now: Date): Promise<boolean>;
  /** One click on `url` in `editionId`; per person too when `subscriberId` is given. */
  countClick(editionId: string, url: string, subscriberId: number | null): Promise<void>;
  clickCounts(editionId: string): Promise<ClickCount[]>;
  /** Subscribers whose address starts with `prefix` (case-insensitive), in address order, from the index. */
  searchSubscribers(prefix: string, limit: number): Promise<SubscriberRow[]>;
  /** One subscriber's deliveries, newest edition first. */
  deliveriesOf(subscriberId: number, limit: number): Promise<DeliveryRow[]>;
  /** When each source's closes were last fetched (the closes cache), by source. */
  lastFetches(): Promise<Array<{ source: string; fetched_at: string }>>;
  /** Bounces and complaints, newest first, a page at a time (ids below `beforeId`). */
  feedbackLog(beforeId: number | undefined, limit: number): Promise<FeedbackLogRow[]>;
}

/** The end of a prefix range on an index: every string that starts with the prefix sorts below it. */
export const prefixEnd = (prefix: string) => `${prefix}\uffff`;
