/** The site's defences: security headers, a per-client and per-network rate limit, and signed form tokens with an origin check. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Store } from '../db/index.js';
import { clientKey, networkKey } from './clients.js';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own forms.
  'referrer-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** A network (an IPv4 /24, an IPv6 /48) may subscribe this many times what one client may. */
export const NETWORK_SHARE = 4;

/**
 * The subscribe form's limit, a fixed window counted in the database so every `serve` behind one proxy
 * counts the same hits: `limit` per client (an IPv4 address, an IPv6 /64) and NETWORK_SHARE times that
 * per network, so rotating addresses inside a block gains nothing. At most `maxKeys` keys a level and
 * window: past that a newcomer is not counted at that level, so nobody shares an attacker's count (what
 * gets through still meets the per-address throttle and the confirmations' global rate).
 */
export function subscribeLimiter(store: Pick<Store, 'countHit' | 'hitCount'>, limit: number, windowMs: number, now: () => number = Date.now, maxKeys = 10_000) {
  return clientLimiter(store, 'subscribe', limit, windowMs, now, maxKeys);
}

/**
 * The same limit for another form (`scope` keeps its counts apart): the desk's sign-in uses it.
 * `exhausted` asks, counting nothing, whether the client is out of attempts: a right answer must be
 * refused where a wrong one would be, or a guesser past the limit still learns which guess was right.
 */
export function clientLimiter(store: Pick<Store, 'countHit' | 'hitCount'>, scope: string, limit: number, windowMs: number, now: () => number = Date.now, maxKeys = 10_000) {
  const windowStart = () => {
    const t = now();
    return t - (t % windowMs);
  };
  const allow = async (ip: string): Promise<boolean> => {
    const start = windowStart();
    const client = await store.countHit(`${scope}:client`, clientKey(ip), start, maxKeys);
    const network = await store.countHit(`${scope}:network`, networkKey(ip), start, maxKeys);
    return client <= limit && network <= limit * NETWORK_SHARE;
  };
  const exhausted = async (ip: string): Promise<boolean> => {
    const start = windowStart();
    const client = await store.hitCount(`${scope}:client`, clientKey(ip), start);
    const network = await store.hitCount(`${scope}:network`, networkKey(ip), start);
    return client >= limit || network >= limit * NETWORK_SHARE;
  };
  return Object.assign(allow, { exhausted });
}

/**
 * Form tokens: an HMAC of the issue time, so a form can only be posted from a page we served within
 * the last two hours (a cross-site page cannot read one).
 */
const FORM_TTL_MS = 2 * 3600_000;

function formMac(secret: string, issued: number): string {
  return createHmac('sha256', secret).update(`form\n${issued}`).digest('base64url');
}

export function issueFormToken(secret: string, now: number): string {
  return `${now}.${formMac(secret, now)}`;
}

export function checkFormToken(secret: string, token: unknown, now: number): boolean {
  if (typeof token !== 'string') return false;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const issued = Number(match[1]);
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = Buffer.from(formMac(secret, issued), 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) && now - issued >= 0 && now - issued < FORM_TTL_MS;
}

/** A browser says where a form post comes from; a cross-site one is refused. */
export function isCrossSite(headers: Record<string, string | string[] | undefined>, host: string | undefined): boolean {
  const site = headers['sec-fetch-site'];
  // Fetch metadata, where the browser sends it, is the most precise answer.
  if (site === 'cross-site' || site === 'same-site') return true;
  if (site === 'same-origin' || site === 'none') return false;
  const origin = headers['origin'];
  if (typeof origin !== 'string' || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export function safeEqual(a: string, b: string): boolean {
  const x = createHmac('sha256', 'compare').update(a).digest();
  const y = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(x, y);
}
