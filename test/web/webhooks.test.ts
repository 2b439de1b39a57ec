/**
 * Bounces and complaints that arrive after the send: Postmark's webhook (basic auth) and Amazon SES
 * through SNS, signed here exactly as SNS signs (a real certificate and RSA signature; only the fetch of
 * the certificate from AWS is served by the test, as the internet is not here). Forged, unsigned or
 * foreign-topic posts change nothing.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { feedbackAction, type FeedbackKind } from '../../src/feedback/policy.js';
import { postmarkFeedback, sesFeedback } from '../../src/feedback/relays.js';
import { type SnsMessage, snsStringToSign } from '../../src/feedback/sns.js';
import { buildServer } from '../../src/web/server.js';
import { selfSignedCertificate } from '../helpers/certificate.js';
import { tempDir, testContext } from '../helpers/context.js';
import type { Context } from '../../src/context.js';

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
