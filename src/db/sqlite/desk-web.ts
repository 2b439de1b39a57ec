/** The desk's own tables and reads, for SQLite (queries/desk-web.sql; see ../desk-web.ts). */
import { type AdminTokenKind, type ClickCount, type DeskWebStore, type FeedbackLogRow, prefixEnd } from '../desk-web.js';
import type { DeliveryRow, SubscriberRow } from '../types.js';
import type { Db } from './open.js';
import type { SqliteQueries } from './queries.js';
import type { Sync } from './serial.js';

export function deskWebStore(db: Db, sql: SqliteQueries): Sync<DeskWebStore> {
  const statements = {
    prune: db.prepare(sql.pruneAdminTokens),
    save: db.prepare(sql.saveAdminToken),
    session: db.prepare<[string, string], { csrf: string }>(sql.adminSession),
    take: db.prepare(sql.takeAdminToken),
    click: db.prepare(sql.countClick),
    clicks: db.prepare<[string], ClickCount>(sql.clickCounts),
    search: db.prepare<[string, string, number], SubscriberRow>(sql.searchSubscribers),
    deliveries: db.prepare<[number, number], DeliveryRow>(sql.deliveriesOf),
    fetches: db.prepare<[], { source: string; fetched_at: string }>(sql.lastFetches),
    log: db.prepare<[number, number], FeedbackLogRow>(sql.feedbackLog),
  };
  return {
    saveAdminToken(kind: AdminTokenKind, hash: string, csrf: string, expiresAt: Date, now: Date) {
      statements.prune.run(now.toISOString());
      statements.save.run(hash, kind, csrf, expiresAt.toISOString());
    },
    adminSession: (hash: string, now: Date) => statements.session.get(hash, now.toISOString()),
    takeAdminToken: (kind: AdminTokenKind, hash: string, now: Date) => statements.take.run(hash, kind, now.toISOString()).changes === 1,
    countClick(editionId: string, url: string, subscriberId: number | null) {
      statements.click.run(editionId, url, 0);
      if (subscriberId !== null) statements.click.run(editionId, url, subscriberId);
    },
    clickCounts: (editionId: string) => statements.clicks.all(editionId),
    searchSubscribers: (prefix: string, limit: number) => statements.search.all(prefix, prefixEnd(prefix), limit),
    deliveriesOf: (subscriberId: number, limit: number) => statements.deliveries.all(subscriberId, limit),
    lastFetches: () => statements.fetches.all(),
    feedbackLog: (beforeId: number | undefined, limit: number) => statements.log.all(beforeId ?? Number.MAX_SAFE_INTEGER, limit),
  };
}
