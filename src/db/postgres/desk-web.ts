/** The desk's own tables and reads, for PostgreSQL (see ../desk-web.ts). */
import { type AdminTokenKind, type ClickCount, type DeskWebStore, type FeedbackLogRow, prefixEnd } from '../desk-web.js';
import type { DeliveryRow, SubscriberRow } from '../types.js';
import type { Queryable } from './connect.js';

export function deskWebStore(q: Queryable): DeskWebStore {
  const all = async <R>(text: string, values: unknown[]) => (await q.query(text, values)).rows as R[];
  const bump = (editionId: string, url: string, subscriberId: number) =>
    q.query(
      `INSERT INTO link_clicks (edition_id, url, subscriber_id, clicks) VALUES ($1, $2, $3, 1)
       ON CONFLICT (edition_id, url, subscriber_id) DO UPDATE SET clicks = link_clicks.clicks + 1`,
      [editionId, url, subscriberId],
    );
  return {
    async saveAdminToken(kind: AdminTokenKind, hash: string, csrf: string, expiresAt: Date, now: Date) {
      await q.query('DELETE FROM admin_tokens WHERE expires_at <= $1', [now.toISOString()]);
      await q.query('INSERT INTO admin_tokens (hash, kind, csrf, expires_at) VALUES ($1, $2, $3, $4)', [hash, kind, csrf, expiresAt.toISOString()]);
    },
    adminSession: async (hash: string, now: Date) =>
      (await all<{ csrf: string }>("SELECT csrf FROM admin_tokens WHERE hash = $1 AND kind = 'session' AND expires_at > $2", [hash, now.toISOString()]))[0],
    takeAdminToken: async (kind: AdminTokenKind, hash: string, now: Date) =>
      (await q.query('DELETE FROM admin_tokens WHERE hash = $1 AND kind = $2 AND expires_at > $3', [hash, kind, now.toISOString()])).rowCount === 1,
    async countClick(editionId: string, url: string, subscriberId: number | null) {
      await bump(editionId, url, 0);
      if (subscriberId !== null) await bump(editionId, url, subscriberId);
    },
    clickCounts: async (editionId: string) =>
      await all<ClickCount>(
        `SELECT url, SUM(CASE WHEN subscriber_id = 0 THEN clicks ELSE 0 END)::int AS clicks, COUNT(*) FILTER (WHERE subscriber_id <> 0)::int AS people
           FROM link_clicks WHERE edition_id = $1 GROUP BY url ORDER BY clicks DESC, url`,
        [editionId],
      ),
    searchSubscribers: (prefix: string, limit: number) =>
      all<SubscriberRow>('SELECT * FROM subscribers WHERE lower(email) >= $1 AND lower(email) < $2 ORDER BY lower(email) LIMIT $3', [
        prefix.toLowerCase(),
        prefixEnd(prefix.toLowerCase()),
        limit,
      ]),
    deliveriesOf: (subscriberId: number, limit: number) =>
      all<DeliveryRow>('SELECT * FROM deliveries WHERE subscriber_id = $1 ORDER BY edition_id DESC LIMIT $2', [subscriberId, limit]),
    lastFetches: () => all<{ source: string; fetched_at: string }>('SELECT source, MAX(fetched_at) AS fetched_at FROM closes GROUP BY source', []),
    feedbackLog: (beforeId: number | undefined, limit: number) =>
      all<FeedbackLogRow>(
        `SELECT f.id, f.kind, f.trust, f.source, f.edition_id, f.message_id, f.detail, f.received_at, f.action, s.email
         FROM feedback_events f LEFT JOIN subscribers s ON s.id = f.subscriber_id WHERE f.id < $1 ORDER BY f.id DESC LIMIT $2`,
        [beforeId ?? 2 ** 31 - 1, limit],
      ),
  };
}
