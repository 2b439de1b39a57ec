/**
 * The desk's sign-ins: sessions and single-use emailed links. Each secret is random, sent once (a cookie,
 * a link) and kept only as a hash with an expiry, so a copy of the database lets nobody in. A link is
 * also signed with SECRET_KEY and carries its expiry, so a forged or stale one costs no database read.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../db/index.js';

export const SESSION_TTL_MS = 12 * 3600_000;
export const LINK_TTL_MS = 15 * 60_000;
export const SESSION_COOKIE = 'marketwrap_desk';

type Tokens = Pick<Store, 'saveAdminToken' | 'adminSession' | 'takeAdminToken'>;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
const random = () => randomBytes(24).toString('base64url');

export interface Session {
  id: string;
  csrf: string;
}

export async function startSession(store: Tokens, now: Date): Promise<Session> {
  const session = { id: random(), csrf: random() };
  await store.saveAdminToken('session', hashOf(session.id), session.csrf, new Date(now.getTime() + SESSION_TTL_MS), now);
  return session;
}

/** The live session the cookie names, or undefined. */
export async function findSession(store: Tokens, id: string | undefined, now: Date): Promise<Session | undefined> {
  if (!id || !/^[\w-]{32}$/.test(id)) return undefined;
  const found = await store.adminSession(hashOf(id), now);
  return found && { id, csrf: found.csrf };
}

export async function endSession(store: Tokens, id: string, now: Date): Promise<void> {
  await store.takeAdminToken('session', hashOf(id), now);
}

const linkMac = (secret: string, expires: number, nonce: string) => createHmac('sha256', secret).update(`desk-link\n${expires}\n${nonce}`).digest('base64url');

/** A sign-in link's token: its expiry, a nonce and their signature; kept until used or expired. */
export async function issueSignInToken(store: Tokens, secret: string, now: Date): Promise<string> {
  const expires = now.getTime() + LINK_TTL_MS;
  const nonce = random();
  const token = `${expires}.${nonce}.${linkMac(secret, expires, nonce)}`;
  await store.saveAdminToken('link', hashOf(token), '', new Date(expires), now);
  return token;
}

/** True once for a genuine, unexpired, unused token; every later use, a forgery or a stale link is false. */
export async function useSignInToken(store: Tokens, secret: string, token: string, now: Date): Promise<boolean> {
  const match = /^(\d{1,15})\.([\w-]{32})\.([\w-]{43})$/.exec(token);
  if (!match) return false;
  const expires = Number(match[1]);
  const given = Buffer.from(match[3]!, 'base64url');
  const expected = Buffer.from(linkMac(secret, expires, match[2]!), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || expires <= now.getTime()) return false;
  return store.takeAdminToken('link', hashOf(token), now);
}

/** The one cookie the desk reads, from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Set-Cookie for the session: HttpOnly, SameSite=Strict, Secure over https (or behind a trusted proxy that says so). */
export function sessionCookie(id: string, secure: boolean, maxAgeMs = SESSION_TTL_MS): string {
  const attributes = [`${SESSION_COOKIE}=${id}`, 'Path=/admin', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(maxAgeMs / 1000)}`];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}
