/**
 * Bounces and complaints after the send, from the relays, as a fastify plugin: Postmark (basic auth with
 * POSTMARK_WEBHOOK_TOKEN, checked before the body is read) and Amazon SES through SNS (signature verified,
 * SES_TOPIC_ARN only, at most an hour old). Each route exists only when configured. Authenticated is not
 * enough to act: each report must still prove which message of ours it answers (see apply.ts).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Context } from '../shared/context.js';
import { safeEqual } from '../web/security.js';
import { type FeedbackTally, feedbackDeps, recordReports } from './apply.js';
import type { Feedback } from './policy.js';
import { postmarkFeedback, sesFeedback } from './relays.js';
import { certificateCache, isFresh, isSnsUrl, snsMessageSchema, verifySnsMessage } from './sns.js';

type Record = (reports: Feedback[][]) => Promise<FeedbackTally>;

/** `fetchText` fetches an SNS signing certificate or confirms a subscription (AWS over https; tests serve their own). */
export function relayWebhooks(ctx: Context, fetchText: (url: string) => Promise<string>): FastifyPluginAsync {
  return async (app) => {
    const deps = feedbackDeps(ctx);
    const record: Record = async (reports) => {
      const tally = await recordReports(deps, reports, ctx.clock());
      if (tally.tripped) ctx.log.warn(tally, `feedback webhook: the circuit breaker stopped acting; ${tally.held} proven reports kept but not acted on (see /healthz)`);
      return tally;
    };
    const token = ctx.env.POSTMARK_WEBHOOK_TOKEN;
    if (token) {
      // onRequest runs before the body is parsed: a stranger gets 401, never a parser's 400 or 413.
      const authenticate = async (req: { headers: { authorization?: string } }, reply: FastifyReply) => {
        const password = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const given = password ? Buffer.from(password, 'base64').toString().split(':').slice(1).join(':') : '';
        if (!safeEqual(given, token)) return reply.code(401).header('www-authenticate', 'Basic realm="webhooks"').send({ error: 'unauthorized' });
      };
      // With "Include bounce content" the raw bounce (the proof) comes along: more than the site's 16 KB.
      app.post('/webhooks/postmark', { onRequest: authenticate, bodyLimit: 256 * 1024 }, async (req, reply) => reply.send(answer(await record([postmarkFeedback(req.body)]))));
    }
    const topic = ctx.env.SES_TOPIC_ARN;
    if (topic) await app.register(sesWebhook(ctx, topic, fetchText, record));
  };
}

const answer = (t: FeedbackTally) => ({ recorded: t.recorded, acted: t.acted, untrusted: t.untrusted, held: t.held, replays: t.replays });

function sesWebhook(ctx: Context, topic: string, fetchText: (url: string) => Promise<string>, record: Record): FastifyPluginAsync {
  const certificate = certificateCache(fetchText);
  return async (app) => {
    // SNS posts JSON as text/plain, and SES notifications with headers run past the site's 16 KB limit.
    app.post('/webhooks/ses', { bodyLimit: 256 * 1024 }, async (req, reply) => {
      let json: unknown;
      try {
        json = typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
      } catch {
        return reply.code(400).send({ error: 'not an SNS message' });
      }
      const message = snsMessageSchema.safeParse(json);
      if (!message.success) return reply.code(400).send({ error: 'not an SNS message' });
      const m = message.data;
      if (m.TopicArn !== topic || !(await verifySnsMessage(m, certificate).catch(() => false)))
        return reply.code(403).send({ error: 'not signed by SNS for the configured topic' });
      if (!isFresh(m, ctx.clock())) return reply.code(400).send({ error: 'the SNS message is more than an hour old (a replay?)' });
      if (m.Type === 'SubscriptionConfirmation') {
        if (!m.SubscribeURL || !isSnsUrl(m.SubscribeURL)) return reply.code(403).send({ error: 'the subscription URL is not an SNS endpoint' });
        await fetchText(m.SubscribeURL);
        return reply.send({ subscribed: topic });
      }
      if (m.Type !== 'Notification') return reply.send({ recorded: 0 });
      let notification: unknown;
      try {
        notification = JSON.parse(m.Message);
      } catch {
        return reply.code(400).send({ error: 'the SNS Message is not JSON' });
      }
      return reply.send(answer(await record([sesFeedback(notification, m.MessageId)])));
    });
  };
}
