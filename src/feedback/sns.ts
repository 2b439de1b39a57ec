/**
 * Amazon SNS messages, checked as AWS documents: the signing certificate must come over https from an
 * sns.<region>.amazonaws.com host, and the signature (SHA1 for SignatureVersion 1, SHA256 for 2) must
 * verify over the message's fields in their fixed order. Anything else is refused.
 */
import { verify } from 'node:crypto';
import { z } from 'zod';

export const snsMessageSchema = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().max(200),
  TopicArn: z.string().max(300),
  Message: z.string().max(250_000),
  Timestamp: z.string().max(40),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().max(2000),
  SigningCertURL: z.string().max(500),
  Subject: z.string().max(500).optional(),
  SubscribeURL: z.string().max(2000).optional(),
  Token: z.string().max(2000).optional(),
});
export type SnsMessage = z.infer<typeof snsMessageSchema>;

/** An AWS SNS endpoint: https, an sns.<region>.amazonaws.com host (or .com.cn). */
export function isSnsUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(u.hostname);
  } catch {
    return false;
  }
}

/** The text AWS signs: "Key\nValue\n" for the type's fields, in this order, Subject only when present. */
export function snsStringToSign(m: SnsMessage): string {
  const keys =
    m.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  return keys
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}\n${m[k]}\n`)
    .join('');
}

/** How old an SNS message may be: SNS delivers within seconds; an older one is a replay. */
export const SNS_MAX_AGE_MS = 60 * 60_000;

/** True when the message's Timestamp is within the last hour of `now` (and not from the future beyond that). */
export function isFresh(m: SnsMessage, now: Date): boolean {
  const sent = Date.parse(m.Timestamp);
  return Number.isFinite(sent) && Math.abs(now.getTime() - sent) <= SNS_MAX_AGE_MS;
}

/**
 * Certificates by URL, at most `max` of them: AWS signs with a handful, so a stranger's stream of
 * forged posts costs one fetch per certificate URL, not one per post. A URL not yet cached is fetched at
 * most `missesPerMinute` times a minute, so rotating made-up URLs cannot turn us into their fetcher;
 * a failed fetch is not kept, and never pushes out a certificate that worked.
 */
export function certificateCache(
  fetchText: (url: string) => Promise<string>,
  options: { max?: number; missesPerMinute?: number; now?: () => number } = {},
): (url: string) => Promise<string> {
  const { max = 16, missesPerMinute = 5, now = Date.now } = options;
  const cache = new Map<string, string>();
  let misses: number[] = [];
  return async (url) => {
    const cached = cache.get(url);
    if (cached !== undefined) return cached;
    misses = misses.filter((t) => now() - t < 60_000);
    if (misses.length >= missesPerMinute) throw new Error('too many new SNS certificate URLs this minute');
    misses.push(now());
    const certificate = await fetchText(url);
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(url, certificate);
    return certificate;
  };
}

/**
 * A plain https GET (an SNS certificate, a subscription confirmation): short, small, and no redirects,
 * since a redirect would take a "certificate from AWS" from wherever the redirect points.
 */
export async function fetchOverHttps(url: string): Promise<string> {
  const { default: axios } = await import('axios');
  return (await axios.get<string>(url, { timeout: 5000, responseType: 'text', maxContentLength: 64 * 1024, maxRedirects: 0 })).data;
}

/** True when the message is signed by the certificate at its SigningCertURL; `fetchText` reaches AWS. */
export async function verifySnsMessage(m: SnsMessage, fetchText: (url: string) => Promise<string>): Promise<boolean> {
  // AWS's certificates are all /SimpleNotificationService-<id>.pem: nothing else on its hosts is fetched.
  if (!isSnsUrl(m.SigningCertURL) || !/^\/SimpleNotificationService-[A-Za-z0-9]{1,64}\.pem$/.test(new URL(m.SigningCertURL).pathname)) return false;
  const certificate = await fetchText(m.SigningCertURL);
  try {
    return verify(m.SignatureVersion === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(m), 'utf8'), certificate, Buffer.from(m.Signature, 'base64'));
  } catch {
    return false;
  }
}
