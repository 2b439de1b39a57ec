/**
 * Bounces and complaints that arrive after the send: Postmark's webhook (basic auth) and Amazon SES
 * through SNS, signed here exactly as SNS signs (a real certificate and RSA signature; only the fetch of
 * the certificate from AWS is served by the test, as the internet is not here). Forged, unsigned or
 * foreign-topic posts change nothing.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { feedbackAction, type FeedbackKind } from '../../src/feedback/policy.js';
import { postmarkFeedback, sesFeedback } from '../../src/feedback/relays.js';
import { fetchOverHttps, type SnsMessage, snsStringToSign } from '../../src/feedback/sns.js';
import { returnPathFor } from '../../src/delivery/proof.js';
import { buildServer } from '../../src/web/server.js';
import { selfSignedCertificate } from '../helpers/certificate.js';
import { tempDir, testContext } from '../helpers/context.js';
import type { Context } from '../../src/shared/context.js';

const TOKEN = 'p'.repeat(32);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-feedback';
const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem';

let certificate = '';
let privateKey = '';
beforeAll(() => {
  const pair = selfSignedCertificate('sns.amazonaws.com');
  certificate = pair.cert.toString();
  privateKey = pair.key.toString();
});

function snsEnvelope(fields: Partial<SnsMessage> & Pick<SnsMessage, 'Type' | 'Message'>): SnsMessage {
  const m: SnsMessage = { MessageId: 'm-1', TopicArn: TOPIC, Timestamp: '2026-11-21T14:05:00.000Z', SignatureVersion: '2', Signature: '', SigningCertURL: CERT_URL, ...fields };
  return { ...m, Signature: sign('sha256', Buffer.from(snsStringToSign(m)), createPrivateKey(privateKey)).toString('base64') };
}

async function site(config: object = {}) {
  const file = join(tempDir(), 'marketwrap.config.json');
  writeFileSync(file, JSON.stringify(config));
  const ctx = testContext({ POSTMARK_WEBHOOK_TOKEN: TOKEN, SES_TOPIC_ARN: TOPIC, CONFIG_FILE: file });
  const fetched: string[] = [];
  const fetchText = async (url: string) => {
    fetched.push(url);
    return url === CERT_URL ? certificate : 'ok';
  };
  return { ctx, fetched, app: buildServer(ctx, { fetchText }) };
}

const basic = (password: string) => `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}`;
const postmark = (app: ReturnType<typeof buildServer>, body: object, password = TOKEN) =>
  app.inject({ method: 'POST', url: '/webhooks/postmark', headers: { authorization: basic(password), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const ses = (app: ReturnType<typeof buildServer>, message: SnsMessage) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/ses',
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type },
    payload: JSON.stringify(message),
  });

/** Sends the demo edition to `emails` (into the outbox) and answers each one's real Message-ID. */
async function delivered(ctx: Context, emails: string[]): Promise<Map<string, string>> {
  for (const email of emails) await ctx.subscribers.add(email);
  await weeklyDigest.run(ctx, { allowDemoData: true });
  const ids = new Map<string, string>();
  for (const email of emails) ids.set(email, (await ctx.store.delivery('2026-W47', (await ctx.store.findSubscriber(email))!.id))!.message_id!);
  return ids;
}

/** The raw bounce Postmark passes on with "Include bounce content": the returned original names our Message-ID. */
const bounceContent = (messageId: string) =>
  `Return-Path: <>\r\nMessage-ID: <dsn.1@mx.example.net>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: ${messageId}\r\n\r\n--b--\r\n`;

let recordId = 1;
const record = (ids: Map<string, string>, email: string, fields: object) => ({ ID: recordId++, Email: email, Content: bounceContent(ids.get(email)!), ...fields });

describe('Postmark webhook', () => {
  it('a complaint unsubscribes at once and suppresses; hard bounces count to the limit; soft ones only when configured', async () => {
    const { app, ctx } = await site();
    const ids = await delivered(ctx, ['ann@example.com', 'bob@example.com', 'cy@example.com']);
    expect((await postmark(app, record(ids, 'ann@example.com', { RecordType: 'SpamComplaint' }), 'wrong'.repeat(7))).statusCode).toBe(401);
    expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('confirmed');

    expect((await postmark(app, record(ids, 'ann@example.com', { RecordType: 'SpamComplaint', Type: 'SpamComplaint' }))).json()).toMatchObject({ recorded: 1, acted: 1 });
    expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('complained');
    await expect(ctx.subscribers.add('ann@example.com')).rejects.toThrow(/erased|cannot be added/);

    await postmark(app, record(ids, 'bob@example.com', { RecordType: 'Bounce', Type: 'HardBounce', Description: 'The server was unable to deliver' }));
    expect(await ctx.store.findSubscriber('bob@example.com')).toMatchObject({ status: 'confirmed', hard_bounces: 1 });
    await postmark(app, record(ids, 'bob@example.com', { RecordType: 'Bounce', Type: 'HardBounce' }));
    expect(await ctx.store.findSubscriber('bob@example.com')).toMatchObject({ status: 'bounced', hard_bounces: 2 });

    for (let i = 0; i < 3; i++) await postmark(app, record(ids, 'cy@example.com', { RecordType: 'Bounce', Type: 'SoftBounce' }));
    expect(await ctx.store.findSubscriber('cy@example.com')).toMatchObject({ status: 'confirmed', hard_bounces: 0 });
    expect((await ctx.store.feedbackEvents((await ctx.store.findSubscriber('bob@example.com'))!.id)).map((e) => e.kind)).toEqual(['hard-bounce', 'hard-bounce']);
  });

  it('with softBouncesCount, soft bounces count too', async () => {
    const { app, ctx } = await site({ delivery: { softBouncesCount: true, hardBounceLimit: 2 } });
    const ids = await delivered(ctx, ['cy@example.com']);
    for (let i = 0; i < 2; i++) await postmark(app, record(ids, 'cy@example.com', { RecordType: 'Bounce', Type: 'SoftBounce' }));
    expect((await ctx.store.findSubscriber('cy@example.com'))!.status).toBe('bounced');
  });
});

describe('Amazon SES through SNS', () => {
  it('confirms the subscription only for a signed message from the configured topic', async () => {
    const { app, fetched } = await site();
    const confirm = snsEnvelope({
      Type: 'SubscriptionConfirmation',
      Message: 'You have chosen to subscribe',
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=t',
      Token: 't',
    });
    expect((await ses(app, confirm)).json()).toEqual({ subscribed: TOPIC });
    expect(fetched).toEqual([CERT_URL, confirm.SubscribeURL]);
  });

  it('a permanent bounce matched by Message-ID to its delivery; forged, foreign and unsigned posts change nothing', async () => {
    const { app, ctx } = await site({ delivery: { hardBounceLimit: 1 } });
    await ctx.subscribers.add('ann@example.com');
    await weeklyDigest.run(ctx, { allowDemoData: true });
    const messageId = (await ctx.store.delivery('2026-W47', (await ctx.store.findSubscriber('ann@example.com'))!.id))!.message_id!;
    const bounce = JSON.stringify({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'ann@example.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
      mail: { commonHeaders: { messageId } },
    });
    const signed = snsEnvelope({ Type: 'Notification', Message: bounce });
    for (const bad of [
      { ...signed, Message: bounce.replace('Permanent', 'Transient') },
      { ...signed, TopicArn: 'arn:aws:sns:us-east-1:123456789012:someone-else' },
      { ...signed, SigningCertURL: 'https://attacker.example/cert.pem' },
      { ...signed, Signature: '' },
    ]) {
      expect((await ses(app, bad)).statusCode).toBe(403);
    }
    expect((await ses(app, { ...signed, Type: 'Nonsense' } as unknown as SnsMessage)).statusCode).toBe(400);
    expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('confirmed');

    expect((await ses(app, signed)).json()).toMatchObject({ recorded: 1, acted: 1 });
    const ann = (await ctx.store.findSubscriber('ann@example.com'))!;
    expect(ann.status).toBe('bounced');
    expect(await ctx.store.feedbackEvents(ann.id)).toEqual([
      { kind: 'hard-bounce', trust: 'proven', source: 'ses', edition_id: '2026-W47', message_id: messageId, detail: 'Permanent/General: smtp; 550 5.1.1 user unknown' },
    ]);
  });
});

describe('reading the relays’ reports', () => {
  it('SES complaints name each recipient; unknown Postmark types and malformed bodies give nothing', () => {
    const complaint = {
      notificationType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'a@example.com' }, { emailAddress: 'b@example.com' }], complaintFeedbackType: 'abuse' },
    };
    expect(sesFeedback(complaint).map((f) => `${f.kind} ${f.email} ${f.detail}`)).toEqual(['complaint a@example.com complaint: abuse', 'complaint b@example.com complaint: abuse']);
    expect(sesFeedback({ eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'c@example.com' }] } })[0]!.kind).toBe('soft-bounce');
    expect(postmarkFeedback({ RecordType: 'Open', Email: 'a@example.com' })).toEqual([]);
    expect(postmarkFeedback({ RecordType: 'Bounce', Type: 'AutoResponder', Email: 'a@example.com' })).toEqual([]);
    expect(postmarkFeedback('garbage')).toEqual([]);
    expect(sesFeedback(null)).toEqual([]);
  });

  it.each<[FeedbackKind, number, boolean, string | undefined, boolean]>([
    ['complaint', 0, false, 'complained', false],
    ['hard-bounce', 0, false, undefined, true],
    ['hard-bounce', 1, false, 'bounced', true],
    ['soft-bounce', 1, false, undefined, false],
    ['soft-bounce', 1, true, 'bounced', true],
  ])('%s after %i hard bounces (soft counts: %s) → %s', (kind, hardBounces, softBouncesCount, status, countBounce) => {
    expect(feedbackAction(kind, hardBounces, { hardBounceLimit: 2, softBouncesCount })).toMatchObject({ status, countBounce, suppress: status !== undefined });
  });
});

describe('what an authenticated relay still has to prove', () => {
  it('Postmark: a report without the bounce content naming our Message-ID is kept, not acted on; a burst past the breaker is held', async () => {
    const { app, ctx } = await site({ feedback: { breaker: { maxShare: 0, minCount: 1, maxCount: 200 } } });
    const ids = await delivered(ctx, ['ann@example.com', 'bob@example.com', 'cy@example.com']);
    expect((await postmark(app, { RecordType: 'SpamComplaint', ID: 900, Email: 'ann@example.com' })).json()).toEqual({ recorded: 1, acted: 0, untrusted: 1, held: 0, replays: 0 });
    const made = bounceContent('<2026-W47.AAAAAAAAAAAAAAAAAAAAAA@example.com>');
    expect((await postmark(app, { RecordType: 'SpamComplaint', ID: 901, Email: 'ann@example.com', Content: made })).json()).toMatchObject({ untrusted: 1 });
    expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('confirmed');
    // One proven complaint acts; the next one in the same hour is past the limit of 1: kept, held, and /healthz says so.
    expect((await postmark(app, record(ids, 'bob@example.com', { RecordType: 'SpamComplaint' }))).json()).toMatchObject({ acted: 1 });
    expect((await postmark(app, record(ids, 'cy@example.com', { RecordType: 'SpamComplaint' }))).json()).toMatchObject({ acted: 0, held: 1 });
    expect([(await ctx.store.findSubscriber('bob@example.com'))!.status, (await ctx.store.findSubscriber('cy@example.com'))!.status]).toEqual(['complained', 'confirmed']);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json().feedback).toEqual({ tripped: true, actedLastHour: 1, limit: 1, heldLastDay: 1, untrustedLastDay: 2 });
  });

  it('Postmark and SNS replays are recorded once; an SNS message more than an hour old is refused', async () => {
    const { app, ctx } = await site();
    const ids = await delivered(ctx, ['bob@example.com', 'cy@example.com']);
    const hard = record(ids, 'bob@example.com', { RecordType: 'Bounce', Type: 'HardBounce' });
    expect((await postmark(app, hard)).json()).toMatchObject({ recorded: 1, replays: 0 });
    expect((await postmark(app, hard)).json()).toMatchObject({ recorded: 0, replays: 1 });
    expect(await ctx.store.findSubscriber('bob@example.com')).toMatchObject({ status: 'confirmed', hard_bounces: 1 });

    const notification = JSON.stringify({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'cy@example.com' }] },
      mail: { commonHeaders: { messageId: ids.get('cy@example.com') } },
    });
    const signed = snsEnvelope({ Type: 'Notification', Message: notification, MessageId: 'sns-7' });
    expect((await ses(app, signed)).json()).toMatchObject({ recorded: 1, replays: 0 });
    expect((await ses(app, signed)).json()).toMatchObject({ recorded: 0, replays: 1 });
    expect(await ctx.store.findSubscriber('cy@example.com')).toMatchObject({ hard_bounces: 1 });
    const old = snsEnvelope({ Type: 'Notification', Message: notification, MessageId: 'sns-8', Timestamp: '2026-11-21T12:00:00.000Z' });
    expect((await ses(app, old)).statusCode).toBe(400);
    expect(await ctx.store.findSubscriber('cy@example.com')).toMatchObject({ hard_bounces: 1 });
  });

  it('SES: our return path (mail.source) proves the message; a 200 KB Message-ID is cut to a header line, not stored whole', async () => {
    const { app, ctx } = await site({ delivery: { hardBounceLimit: 1 } });
    await delivered(ctx, ['ann@example.com', 'bob@example.com']);
    const ann = (await ctx.store.findSubscriber('ann@example.com'))!;
    const source = returnPathFor(ctx.proofKey, ctx.sender.email, '2026-W47', ann.id);
    const bounce = (mail: object) =>
      snsEnvelope({
        Type: 'Notification',
        MessageId: `sns-${recordId++}`,
        Message: JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'bob@example.com' }] }, mail }),
      });
    expect((await ses(app, bounce({ source: source.replace(/[0-9a-f]{24}@/, `${'1'.repeat(24)}@`) }))).json()).toMatchObject({ untrusted: 1 });
    expect((await ses(app, bounce({ commonHeaders: { messageId: `<${'x'.repeat(200_000)}@example.com>` } }))).json()).toMatchObject({ untrusted: 1 });
    expect((await ctx.store.untrustedFeedback(5)).map((e) => e.message_id?.length ?? 0)).toEqual([0, 998]);
    // Bob is named, but the proof is ann's message: the report acts on ann, the one its proof names.
    expect((await ses(app, bounce({ source }))).json()).toMatchObject({ acted: 1 });
    expect([(await ctx.store.findSubscriber('ann@example.com'))!.status, (await ctx.store.findSubscriber('bob@example.com'))!.status]).toEqual(['bounced', 'confirmed']);
  });
});

describe('webhook hardening', () => {
  it('Postmark is authenticated before the body is read: a stranger gets 401, never a parser error', async () => {
    const { app } = await site();
    for (const payload of ['{"not json', 'x'.repeat(300 * 1024)]) {
      const answer = await app.inject({ method: 'POST', url: '/webhooks/postmark', headers: { 'content-type': 'application/json' }, payload });
      expect(answer.statusCode).toBe(401);
    }
    const wrongType = await app.inject({
      method: 'POST',
      url: '/webhooks/postmark',
      headers: { authorization: basic('nope'), 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(wrongType.statusCode).toBe(401);
  });

  it('an SNS certificate is fetched once per URL, however many forged posts name it', async () => {
    const { app, fetched } = await site();
    for (let i = 0; i < 5; i++) {
      const forged = { ...snsEnvelope({ Type: 'Notification', Message: '{}', MessageId: `f-${i}` }), Signature: Buffer.from('forged').toString('base64') };
      expect((await ses(app, forged)).statusCode).toBe(403);
    }
    expect(fetched).toEqual([CERT_URL]);
    // Made-up certificate URLs: other paths on AWS's hosts are never fetched; new ones at most 5 a minute.
    for (let i = 0; i < 10; i++) {
      for (const url of [`https://sns.us-east-1.amazonaws.com/other-${i}.pem`, `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-${i}.pem`]) {
        expect((await ses(app, snsEnvelope({ Type: 'Notification', Message: '{}', MessageId: `g-${i}`, SigningCertURL: url }))).statusCode).toBe(403);
      }
    }
    expect(fetched).toHaveLength(1 + 4);
  });

  it('the SNS body is bounded', async () => {
    const { app } = await site();
    const big = await app.inject({ method: 'POST', url: '/webhooks/ses', headers: { 'content-type': 'text/plain' }, payload: 'x'.repeat(300 * 1024) });
    expect(big.statusCode).toBe(413);
  });

  it('the certificate fetch does not follow a redirect', async () => {
    let followed = false;
    const server = createServer((req, res) => {
      if (req.url === '/cert.pem') return res.writeHead(302, { location: '/elsewhere.pem' }).end();
      followed = true;
      res.end('-----BEGIN CERTIFICATE-----');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await expect(fetchOverHttps(`http://127.0.0.1:${(server.address() as AddressInfo).port}/cert.pem`)).rejects.toThrow(/302|redirect/i);
      expect(followed).toBe(false);
    } finally {
      server.close();
    }
  });
});
