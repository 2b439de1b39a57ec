/** The desk's own tables and reads, for PostgreSQL (queries/desk-web.sql; see ../desk-web.ts). */
import { type AdminTokenKind, type ClickCount, type DeskWebStore, type FeedbackLogRow, prefixEnd } from '../desk-web.js';
import type { DeliveryRow, SubscriberRow } from '../types.js';
import type { Queryable } from './connect.js';
import type { PostgresQueries } from './queries.js';

export function deskWebStore(q: Queryable, sql: PostgresQueries): DeskWebStore {
  const all = async <R>(text: string, values: unknown[]) => (await q.query(text, values)).rows as R[];
  const bump = (editionId: string, url: string, subscriberId: number) => q.query(sql.countClick, [editionId, url, subscriberId]);
  return {
    async saveAdminToken(kind: AdminTokenKind, hash: string, csrf: string, expiresAt: Date, now: Date) {
      await q.query(sql.pruneAdminTokens, [now.toISOString()]);
      await q.query(sql.saveAdminToken, [hash, kind, csrf, expiresAt.toISOString()]);
    },
    adminSession: async (hash: string, now: Date) => (await all<{ csrf: string }>(sql.adminSession, [hash, now.toISOString()]))[0],
    takeAdminToken: async (kind: AdminTokenKind, hash: string, now: Date) => (await q.query(sql.takeAdminToken, [hash, kind, now.toISOString()])).rowCount === 1,
    async countClick(editionId: string, url: string, subscriberId: number | null) {
      await bump(editionId, url, 0);
      if (subscriberId !== null) await bump(editionId, url, subscriberId);
    },
    clickCounts: async (editionId: string) => await all<ClickCount>(sql.clickCounts, [editionId]),
    searchSubscribers: (prefix: string, limit: number) => all<SubscriberRow>(sql.searchSubscribers, [prefix.toLowerCase(), prefixEnd(prefix.toLowerCase()), limit]),
    deliveriesOf: (subscriberId: number, limit: number) => all<DeliveryRow>(sql.deliveriesOf, [subscriberId, limit]),
    lastFetches: () => all<{ source: string; fetched_at: string }>(sql.lastFetches, []),
    feedbackLog: (beforeId: number | undefined, limit: number) => all<FeedbackLogRow>(sql.feedbackLog, [beforeId ?? 2 ** 31 - 1, limit]),
  };
}
