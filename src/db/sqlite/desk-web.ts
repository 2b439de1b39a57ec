/** The desk's own tables and reads, for SQLite (see ../desk-web.ts). */
import { type AdminTokenKind, type ClickCount, type DeskWebStore, type FeedbackLogRow, prefixEnd } from '../desk-web.js';
import type { DeliveryRow, SubscriberRow } from '../types.js';
import type { Db } from './open.js';
import type { Sync } from './serial.js';

const LOG_COLUMNS = 'f.id, f.kind, f.trust, f.source, f.edition_id, f.message_id, f.detail, f.received_at, f.action, s.email';

export function deskWebStore(db: Db): Sync<DeskWebStore> {
  const statements = {
    prune: db.prepare('DELETE FROM admin_tokens WHERE expires_at <= ?'),
    save: db.prepare('INSERT INTO admin_tokens (hash, kind, csrf, expires_at) VALUES (?, ?, ?, ?)'),
    session: db.prepare<[string, string], { csrf: string }>("SELECT csrf FROM admin_tokens WHERE hash = ? AND kind = 'session' AND expires_at > ?"),
    take: db.prepare('DELETE FROM admin_tokens WHERE hash = ? AND kind = ? AND expires_at > ?'),
    click: db.prepare('INSERT INTO link_clicks (edition_id, url, subscriber_id, clicks) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET clicks = clicks + 1'),
    clicks: db.prepare<[string], ClickCount>(
      `SELECT url, SUM(CASE WHEN subscriber_id = 0 THEN clicks ELSE 0 END) AS clicks, SUM(subscriber_id <> 0) AS people
       FROM link_clicks WHERE edition_id = ? GROUP BY url ORDER BY clicks DESC, url`,
    ),
    search: db.prepare<[string, string, number], SubscriberRow>('SELECT * FROM subscribers WHERE email >= ? AND email < ? ORDER BY email LIMIT ?'),
    deliveries: db.prepare<[number, number], DeliveryRow>('SELECT * FROM deliveries WHERE subscriber_id = ? ORDER BY edition_id DESC LIMIT ?'),
    fetches: db.prepare<[], { source: string; fetched_at: string }>('SELECT source, MAX(fetched_at) AS fetched_at FROM closes GROUP BY source'),
    log: db.prepare<[number, number], FeedbackLogRow>(
      `SELECT ${LOG_COLUMNS} FROM feedback_events f LEFT JOIN subscribers s ON s.id = f.subscriber_id WHERE f.id < ? ORDER BY f.id DESC LIMIT ?`,
    ),
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
