/**
 * The approve and hold links mailed to the publisher with each draft: HMAC-SHA256 with SECRET_KEY over
 * the edition, the action and the build's random review key. A link acts once; a rebuild (a new key)
 * or the start of the send makes it useless. A GET shows a button, the POST acts (link scanners GET).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { editionIdSchema } from '../edition/id.js';
import { approveEdition, type DeskDeps, holdEdition } from './editions.js';
import type { EditionSummary } from './schemas.js';

export const reviewActionSchema = z.enum(['approve', 'hold']);
export type ReviewAction = z.infer<typeof reviewActionSchema>;

/** A link's parts as the request carries them (path: id and action; query: key and sig). */
export const reviewLinkSchema = z.object({
  id: editionIdSchema,
  action: reviewActionSchema,
  key: z.string().regex(/^[0-9a-f]{32}$/),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type ReviewLink = z.infer<typeof reviewLinkSchema>;

function mac(secret: string, id: string, action: ReviewAction, key: string): Buffer {
  return createHmac('sha256', secret).update(`review\n${id}\n${action}\n${key}`).digest();
}

export function reviewUrl(publicUrl: string, secret: string, id: string, action: ReviewAction, key: string): string {
  return `${publicUrl}/review/${id}/${action}?key=${key}&sig=${mac(secret, id, action, key).toString('base64url')}`;
}

export function isSigned(secret: string, link: ReviewLink): boolean {
  const given = Buffer.from(link.sig, 'base64url');
  const expected = mac(secret, link.id, link.action, link.key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type LinkResult = { ok: true; edition: EditionSummary } | { ok: false; reason: 'forged' | 'stale' | 'used' | 'started' };

/** Acts on a link once: forged (not ours), stale (an earlier build's), used (clicked before) or started (the send began) change nothing. */
export async function useReviewLink(deps: DeskDeps & { secretKey: string }, link: ReviewLink): Promise<LinkResult> {
  if (!isSigned(deps.secretKey, link)) return { ok: false, reason: 'forged' };
  const row = await deps.store.editionReview(link.id);
  if (!row) return { ok: false, reason: 'forged' };
  if (row.review_key !== link.key) return { ok: false, reason: 'stale' };
  if (row.state === 'sending' || row.state === 'sent') return { ok: false, reason: 'started' };
  if (!(await deps.store.useReviewLink(link.id, link.action, link.key, deps.clock()))) return { ok: false, reason: 'used' };
  const edition =
    link.action === 'approve'
      ? await approveEdition(deps, link.id, { by: 'link' })
      : await holdEdition(deps, link.id, { reason: 'held from the link in the review email', by: 'link' });
  return { ok: true, edition };
}
