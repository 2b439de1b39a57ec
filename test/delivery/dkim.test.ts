/**
 * DKIM on every path that sends mail, verified by mailauth (a DKIM verifier from npm) with the public
 * key served by a resolver in the test, as DNS would: the list over real SMTP (RSA and Ed25519), and a
 * single email (the confirmation's path). A changed body fails; a bad key is one line.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { dkimVerify } from 'mailauth';
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { composeMessage, rawMessage } from '../../src/delivery/index.js';
import { loadDkimKey } from '../../src/delivery/dkim.js';
import { testContext } from '../helpers/context.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
afterEach(async () => sink?.close());

function keyPair(type: 'rsa' | 'ed25519') {
  const { privateKey, publicKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/** The TXT record a publisher puts at <selector>._domainkey.<domain>. */
function resolverFor(selector: string, domain: string, type: 'rsa' | 'ed25519', publicKey: KeyObject) {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  // Ed25519 records carry the raw 32-byte key (RFC 8463), RSA ones the SubjectPublicKeyInfo.
  const p = (type === 'ed25519' ? der.subarray(der.length - 32) : der).toString('base64');
  return async (name: string, rrtype: string) => {
    if (rrtype === 'TXT' && name === `${selector}._domainkey.${domain}`) return [[`v=DKIM1; k=${type}; p=${p}`]];
    throw Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: 'ENOTFOUND' });
  };
}

async function verify(message: string | Buffer, resolver: ReturnType<typeof resolverFor>) {
  const { results } = await dkimVerify(Buffer.from(message), { resolver });
  return results.map(
    (r: { status: { result: string; comment?: string }; signingDomain: string }) => `${r.signingDomain}:${r.status.result}${r.status.comment ? ` (${r.status.comment})` : ''}`,
  );
}

describe('DKIM', () => {
  it.each(['rsa', 'ed25519'] as const)('signs every list message (%s); the signature verifies on arrival, and fails on a changed body', async (type) => {
    const { pem, publicKey } = keyPair(type);
    sink = await startSmtpSink();
    const ctx = testContext({ SMTP_URL: sink.url, DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'mw2026', DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    for (const email of ['ann@example.com', 'bob@example.com', 'cy@example.com']) await ctx.subscribers.add(email);
    const result = await weeklyDigest.run(ctx, { allowDemoData: true });
    expect(result.delivery).toMatchObject({ sent: 3, failed: 0 });
    const resolver = resolverFor('mw2026', 'example.com', type, publicKey);
    for (const mail of sink.received) {
      expect(mail.raw.toString()).toMatch(new RegExp(`^DKIM-Signature: v=1; a=${type}-sha256; c=relaxed/simple; d=example.com; s=mw2026;`));
      expect(await verify(mail.raw, resolver)).toEqual(['example.com:pass']);
      const tampered = mail.raw.toString().replace('Content-ID: <', 'Content-ID: <x');
      expect(tampered).not.toBe(mail.raw.toString());
      expect(await verify(tampered, resolver)).toEqual(['example.com:neutral (body hash did not verify)']);
    }
  });

  it('signs single emails (confirmations, welcome, the studio test) too', async () => {
    const { pem, publicKey } = keyPair('rsa');
    const dkim = loadDkimKey({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'sel', DKIM_PRIVATE_KEY: pem })!;
    const message = await composeMessage({
      from: { name: 'Wrap', email: 'wrap@example.com' },
      to: 'ann@example.com',
      subject: 'Confirm',
      text: 'Click\n.here\n',
      html: '<p>Click</p>',
      dkim,
    });
    expect(await verify(rawMessage(message), resolverFor('sel', 'example.com', 'rsa', publicKey))).toEqual(['example.com:pass']);
  });

  it('a partial or broken DKIM setting is one line saying what to set', () => {
    expect(() => loadDkimKey({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY: 'not a key' })).toThrow(/not a PEM RSA or Ed25519 private key/);
    expect(() => loadDkimKey({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY_FILE: '/nonexistent/key.pem' })).toThrow(/DKIM_PRIVATE_KEY_FILE .*ENOENT/);
    expect(loadDkimKey({})).toBeUndefined();
  });

  it('refuses an RSA key under 1024 bits at start-up, and warns under 2048', () => {
    const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const env = (pem: string) => ({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY: pem });
    let refused: unknown;
    try {
      testContext(env(rsa(512)));
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'DKIM_KEY_TOO_SHORT', exitCode: 2 });
    expect((refused as Error).message).toMatch(/512-bit RSA key, which receivers ignore .*at least 1024.*rsa_keygen_bits:2048/);
    const warnings: string[] = [];
    expect(loadDkimKey(env(rsa(1024)), (w) => warnings.push(w))?.privateKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(warnings).toEqual([expect.stringMatching(/1024-bit RSA key: 2048 bits is advised/)]);
    expect(loadDkimKey(env(rsa(2048)), (w) => warnings.push(w))).toBeDefined();
    expect(warnings).toHaveLength(1);
  });
});
