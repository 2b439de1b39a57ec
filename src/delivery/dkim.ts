/**
 * DKIM signatures (RFC 6376; ed25519-sha256 from RFC 8463), relaxed header and simple body
 * canonicalization. The list's messages are signed from their pieces (the body hash runs over the
 * edition's shared parts and the recipient's own, never a joined copy); single emails from their text.
 */
import { createHash, createPrivateKey, sign, type Hash, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fail } from '../shared/errors.js';

export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: KeyObject;
}

/** The headers signed when present: what a reader sees and what list handling relies on. */
const SIGNED = ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post'];

/** RFC 8301: verifiers must not accept RSA keys under 1024 bits; 2048 is what receivers expect today. */
const RSA_MIN_BITS = 1024;
const RSA_ADVISED_BITS = 2048;
const GENERATE = '`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`';

/**
 * The key DKIM_PRIVATE_KEY (PEM, "\n" may stand for line breaks) or DKIM_PRIVATE_KEY_FILE holds, with DKIM_DOMAIN and DKIM_SELECTOR.
 * An RSA key under 1024 bits is refused (receivers treat its signatures as none); under 2048 bits, `warn` says so.
 */
export function loadDkimKey(
  env: { DKIM_DOMAIN?: string; DKIM_SELECTOR?: string; DKIM_PRIVATE_KEY?: string; DKIM_PRIVATE_KEY_FILE?: string },
  warn: (message: string) => void = () => undefined,
): DkimKey | undefined {
  const { DKIM_DOMAIN: domain, DKIM_SELECTOR: selector, DKIM_PRIVATE_KEY: inline, DKIM_PRIVATE_KEY_FILE: file } = env;
  // The environment's schema has made the three all or none (src/config/env.ts).
  if (!domain || !selector || !(inline || file)) return undefined;
  let pem: string;
  try {
    pem = inline ? inline.replace(/\\n/g, '\n') : readFileSync(file!, 'utf8');
  } catch (error) {
    throw fail('DKIM_KEY_FILE_UNREADABLE', { file: file!, reason: String((error as NodeJS.ErrnoException).code ?? error) });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyType !== 'rsa' && privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`a ${privateKey.asymmetricKeyType} key`);
  } catch (error) {
    throw fail('DKIM_KEY_INVALID', { reason: (error as Error).message });
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && bits < RSA_MIN_BITS) throw fail('DKIM_KEY_TOO_SHORT', { bits, min: RSA_MIN_BITS });
  if (bits !== undefined && bits < RSA_ADVISED_BITS) warn(`the DKIM private key is a ${bits}-bit RSA key: ${RSA_ADVISED_BITS} bits is advised; generate one with ${GENERATE}`);
  return { domain, selector, privateKey };
}

/** Relaxed header canonicalization (RFC 6376 §3.4.2) of one header line as written, folded or not. */
export function relaxedHeader(line: string): { name: string; canonical: string } {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim().toLowerCase();
  const value = line
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return { name, canonical: `${name}:${value}` };
}

/** The header lines of a header block (folded continuation lines kept with their header). */
export function headerLines(block: string): string[] {
  return block
    .split(/\r\n(?![ \t])/)
    .filter(Boolean)
    .map((line) => `${line}\r\n`);
}

/** A body hash under way: feed it the body's pieces in order (simple canonicalization: the body ends in one CRLF). */
export const bodyHasher = (): Hash => createHash('sha256');

/** The DKIM-Signature header line for a message whose header lines and body hash are given. */
export function dkimSignatureHeader(key: DkimKey, lines: readonly string[], bodyHash: Buffer, now: Date): string {
  // The last instance of each header is the one signed, as RFC 6376 §5.4.2 has verifiers pick from the bottom.
  const byName = new Map(lines.map((line) => relaxedHeader(line)).map((h) => [h.name, h.canonical]));
  const names = SIGNED.filter((n) => byName.has(n));
  const algorithm = key.privateKey.asymmetricKeyType === 'ed25519' ? 'ed25519-sha256' : 'rsa-sha256';
  const tags = `v=1; a=${algorithm}; c=relaxed/simple; d=${key.domain}; s=${key.selector}; t=${Math.floor(now.getTime() / 1000)}; h=${names.join(':')}; bh=${bodyHash.toString('base64')}; b=`;
  const signed = `${names.map((n) => `${byName.get(n)}\r\n`).join('')}${relaxedHeader(`DKIM-Signature: ${tags}`).canonical}`;
  const signature = algorithm === 'ed25519-sha256' ? sign(null, createHash('sha256').update(signed).digest(), key.privateKey) : sign('sha256', Buffer.from(signed), key.privateKey);
  return `DKIM-Signature: ${tags}${foldBase64(signature.toString('base64'))}\r\n`;
}

/** Base64 split over continuation lines, so no header line runs past 78 characters. */
const foldBase64 = (b64: string) => (b64.match(/.{1,72}/g) ?? []).join('\r\n ');

/** A whole RFC 5322 message (CRLF lines, not dot-stuffed), signed: the DKIM-Signature goes first. */
export function signMessage(key: DkimKey, raw: string, now: Date): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split + 2);
  const body = raw.slice(split + 4).replace(/(\r\n)*$/, '\r\n');
  const bodyHash = bodyHasher().update(body).digest();
  return dkimSignatureHeader(key, headerLines(head), bodyHash, now) + raw;
}
