/**
 * Signed links: HMAC-SHA256 over purpose, subscriber, expiry and the subscriber's own random key with
 * SECRET_KEY, compared in constant time. A token made for one purpose never works for another, and a
 * token made for one person never works for whoever holds a later row.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'unsubscribe';

/** Who a link is for: the id and the per-subscriber key (null for subscribers from before keys). */
export interface TokenSubject {
  id: number;
  token_key: string | null;
}

function mac(secret: string, purpose: TokenPurpose, subject: TokenSubject, expires: number): Buffer {
  const key = subject.token_key === null ? '' : `\n${subject.token_key}`;
  return createHmac('sha256', secret).update(`${purpose}\n${subject.id}\n${expires}${key}`).digest();
}

/** `expires` in Unix seconds; 0 means it never expires (unsubscribe links in old emails must work). */
export function signToken(secret: string, purpose: TokenPurpose, subject: TokenSubject, expires = 0): string {
  return `${subject.id}.${expires}.${mac(secret, purpose, subject, expires).toString('base64url')}`;
}

export type TokenCheck = { ok: true; subscriberId: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const TOKEN = /^(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** The subscriber id a well-formed token names (to look them up before verifying). */
export function tokenSubscriberId(token: string): number | undefined {
  const match = TOKEN.exec(token);
  return match ? Number(match[1]) : undefined;
}

/** `subjectOf` finds the subscriber the token names (undefined: nobody, so forged). */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string, now: Date, subjectOf: (id: number) => TokenSubject | undefined): TokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const subscriberId = Number(match[1]);
  const expires = Number(match[2]);
  const subject = subjectOf(subscriberId);
  if (!subject) return { ok: false, reason: 'forged' };
  const given = Buffer.from(match[3]!, 'base64url');
  const expected = mac(secret, purpose, subject, expires);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (expires !== 0 && now.getTime() / 1000 > expires) return { ok: false, reason: 'expired' };
  return { ok: true, subscriberId };
}
