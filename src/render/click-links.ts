/**
 * Click counts (config tracking.clicks): the email's links rewritten to signed redirects on the site,
 * /r/<edition>/<mac>?u=<url>. The signature covers the edition and the URL, so the site redirects only
 * to links it wrote (never an open redirect) and a forged one is refused. With tracking.perSubscriber a
 * link also carries the recipient's own signed unsubscribe link (a recipient token, filled per message),
 * which says who clicked without a new secret per recipient. Pure: no I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { RECIPIENT_TOKENS } from './personalize.js';

export interface ClickTracking {
  publicUrl: string;
  editionId: string;
  secret: string;
  perSubscriber: boolean;
}

export function clickMac(secret: string, editionId: string, url: string): string {
  return createHmac('sha256', secret).update(`click\n${editionId}\n${url}`).digest('base64url').slice(0, 22);
}

export function checkClickMac(secret: string, editionId: string, url: string, given: string): boolean {
  const expected = Buffer.from(clickMac(secret, editionId, url));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const HREF = /href="(https?:\/\/[^"]+)"/g;

/** Every http(s) link of the email as a counted redirect, except the site's own unsubscribe links. */
export function trackLinks(html: string, tracking: ClickTracking): string {
  const unsubscribe = `${tracking.publicUrl}/unsubscribe`;
  return html.replace(HREF, (whole, escaped: string) => {
    const url = escaped.replaceAll('&amp;', '&');
    if (url.startsWith(unsubscribe)) return whole;
    const who = tracking.perSubscriber ? `&amp;who=${RECIPIENT_TOKENS.unsubscribeUrl}` : '';
    return `href="${tracking.publicUrl}/r/${tracking.editionId}/${clickMac(tracking.secret, tracking.editionId, url)}?u=${encodeURIComponent(url)}${who}"`;
  });
}
