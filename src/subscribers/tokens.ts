/**
 * Signed links: HMAC-SHA256 over purpose, subscriber and expiry with SECRET_KEY, compared in constant
 * time. A token made for one purpose never works for another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'unsubscribe';

function mac(secret: string, purpose: TokenPurpose, subscriberId: number, expires: number): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\n${subscriberId}\n${expires}`).digest();
}

/** `expires` in Unix seconds; 0 means it never expires (unsubscribe links in old emails must work). */
export function signToken(secret: string, purpose: TokenPurpose, subscriberId: number, expires = 0): string {
  return `${subscriberId}.${expires}.${mac(secret, purpose, subscriberId, expires).toString('base64url')}`;
}

export type TokenCheck = { ok: true; subscriberId: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function verifyToken(secret: string, purpose: TokenPurpose, token: string, now: Date): TokenCheck {
  const match = /^(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const subscriberId = Number(match[1]);
  const expires = Number(match[2]);
  const given = Buffer.from(match[3]!, 'base64url');
  const expected = mac(secret, purpose, subscriberId, expires);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (expires !== 0 && now.getTime() / 1000 > expires) return { ok: false, reason: 'expired' };
  return { ok: true, subscriberId };
}
