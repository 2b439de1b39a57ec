/**
 * The public site and the admin API (fastify): subscribe with double opt-in, confirm, read past
 * editions, leave in one click (RFC 8058), health, and a manual send behind a bearer token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { unsubscribeUrl, weeklyDigest } from '../../jobs/weekly-digest.js';
import type { Context } from '../context.js';
import { composeMessage } from '../delivery/index.js';
import { renderTransactional } from '../render/index.js';
import { CONFIRM_TTL_DAYS, emailSchema } from '../subscribers/index.js';
import { createPages } from './pages.js';
import { checkFormToken, isCrossSite, issueFormToken, rateLimiter, safeEqual, SECURITY_HEADERS } from './security.js';

export interface ServerOptions {
  /** When the weekly job runs next (for /healthz); null when nothing is scheduled. */
  nextRun?: () => Date | null;
  /** Subscribe attempts allowed per IP per window. */
  subscribeLimit?: { limit: number; windowMs: number };
}

const subscribeBody = z.object({
  email: z.string().max(1000),
  website: z.string().max(1000).optional(),
  form_token: z.string().max(200).optional(),
});
const tokenQuery = z.object({ token: z.string().max(200).default('') });
const editionParams = z.object({ id: z.string().regex(/^\d{4}-W\d{2}(-\d+)?$/) });

/** What a visitor is told after subscribing, whatever happened: no list enumeration. */
const SUBSCRIBE_ANSWER = 'If that address can receive email, a confirmation link is on its way. Click it to start receiving the newsletter.';

export function buildServer(ctx: Context, options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024, trustProxy: true });
  const page = createPages(ctx.templatesDir, ctx.config);
  const limit = options.subscribeLimit ?? { limit: 5, windowMs: 10 * 60_000 };
  const allowSubscribe = rateLimiter(limit.limit, limit.windowMs);
  const publicUrl = ctx.env.PUBLIC_URL.replace(/\/$/, '');

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addHook('onSend', async (_req, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const message = (reply: FastifyReply, status: number, heading: string, text: string, link?: { href: string; text: string }) =>
    html(reply, status, page('message', heading, { heading, message: text, link, role: status >= 400 ? 'alert' : 'status' }));

  app.get('/', async (_req, reply) => {
    const latest = ctx.store.sentEditions()[0];
    return html(reply, 200, page('home', 'Subscribe', { latest, formToken: issueFormToken(ctx.secretKey, ctx.clock().getTime()) }));
  });

  app.post('/subscribe', async (req, reply) => {
    if (isCrossSite(req.headers, req.headers.host)) return message(reply, 403, 'Not allowed', 'This form can only be sent from our own page.', { href: '/', text: 'Go to the subscribe page' });
    if (!allowSubscribe(req.ip)) return message(reply.header('retry-after', String(Math.ceil(limit.windowMs / 1000))), 429, 'Too many attempts', 'Please wait a few minutes and try again.');
    const body = subscribeBody.safeParse(req.body);
    if (!body.success || !checkFormToken(ctx.secretKey, body.data.form_token, ctx.clock().getTime())) {
      return message(reply, 400, 'Please try again', 'The form expired or was incomplete. Reload the page and submit it again.', { href: '/', text: 'Back to the form' });
    }
    // A bot filled the hidden field: tell it what we tell everyone, do nothing.
    if (body.data.website) return message(reply, 200, 'Check your inbox', SUBSCRIBE_ANSWER);
    const email = emailSchema.safeParse(body.data.email);
    if (!email.success) return message(reply, 400, 'That address does not look right', `Please enter an address like name@example.com (${email.error.issues[0]!.message}).`, { href: '/', text: 'Back to the form' });
    const outcome = ctx.subscribers.subscribe(email.data);
    if (outcome.action === 'confirm') {
      const mail = await renderTransactional(ctx.templatesDir, 'confirm', {
        title: ctx.config.title, tagline: ctx.config.tagline, email: email.data, postalAddress: ctx.config.postalAddress,
        confirmUrl: `${publicUrl}/confirm?token=${outcome.token}`, days: String(CONFIRM_TTL_DAYS),
      });
      try {
        await ctx.transport().send(await composeMessage({ from: ctx.sender, to: email.data, ...mail }));
      } catch (error) {
        ctx.log.error({ err: (error as Error).message }, 'confirmation email failed');
        return message(reply, 503, 'Please try again later', 'We could not send the confirmation email just now. Nothing was lost: submit the form again in a few minutes.');
      }
    }
    return message(reply, 200, 'Check your inbox', SUBSCRIBE_ANSWER);
  });

  app.get('/confirm', async (req, reply) => {
    const { token } = tokenQuery.parse(req.query);
    const result = ctx.subscribers.confirm(token);
    if (!result.ok) {
      const text = result.reason === 'expired' ? 'This confirmation link has expired. Subscribe again to get a fresh one.' : 'This confirmation link is not valid. Subscribe again to get a fresh one.';
      return message(reply, 400, 'Link not valid', text, { href: '/', text: 'Subscribe' });
    }
    if (result.newlyConfirmed && ctx.config.welcomeEmail) {
      const email = result.subscriber!.email;
      const mail = await renderTransactional(ctx.templatesDir, 'welcome', {
        title: ctx.config.title, tagline: ctx.config.tagline, email, postalAddress: ctx.config.postalAddress,
        archiveUrl: `${publicUrl}/archive`, unsubscribeUrl: unsubscribeUrl(ctx, result.subscriber!.id),
      });
      await ctx.transport().send(await composeMessage({ from: ctx.sender, to: email, ...mail }))
        .catch((error: Error) => ctx.log.error({ err: error.message }, 'welcome email failed'));
    }
    return message(reply, 200, 'You are subscribed', `Thank you. ${ctx.config.title} will arrive every week.`, { href: '/archive', text: 'Read past editions' });
  });

  app.get('/unsubscribe', async (req, reply) => {
    // A GET never unsubscribes: link scanners follow links. It shows one button.
    const { token } = tokenQuery.parse(req.query);
    if (!/^[\w.-]+$/.test(token)) return message(reply, 400, 'Link not valid', 'This unsubscribe link is incomplete. Use the link from one of our emails, or reply to one with "unsubscribe".');
    return html(reply, 200, page('unsubscribe', 'Unsubscribe', { token }));
  });

  app.post('/unsubscribe', async (req, reply) => {
    // RFC 8058: no cookie, no login; the signed token is the authority. Idempotent: 200 every time.
    const { token } = tokenQuery.parse(req.query);
    const result = ctx.subscribers.unsubscribeByToken(token);
    if (!result.ok) return message(reply, 400, 'Link not valid', 'This unsubscribe link is not valid. Reply to any of our emails with "unsubscribe" and we will remove you.');
    return message(reply, 200, 'You are unsubscribed', `You will not receive ${ctx.config.title} any more.`, { href: '/', text: 'Changed your mind? Subscribe again' });
  });

  app.get('/archive', async (_req, reply) => html(reply, 200, page('archive', 'Archive', { editions: ctx.store.sentEditions() })));

  app.get('/editions/:id', async (req, reply) => {
    const params = editionParams.safeParse(req.params);
    const edition = params.success ? ctx.store.edition(params.data.id) : undefined;
    const file = edition ? join(ctx.editionsDir, `${edition.id}.html`) : '';
    if (!edition?.sent_at || !existsSync(file)) return message(reply, 404, 'Not found', 'There is no such edition.', { href: '/archive', text: 'All editions' });
    // The web version: the email as sent, with the per-recipient parts made general and the charts
    // (CID images in the email) served as the same PNG files.
    const body = readFileSync(file, 'utf8')
      .replaceAll('{{email}}', 'your address')
      .replaceAll('{{unsubscribeUrl}}', `${publicUrl}/unsubscribe`)
      .replace(/cid:([a-z0-9-]+)@marketwrap/g, `/editions/${edition.id}/$1.png`);
    return html(reply, 200, body);
  });

  app.get('/editions/:id/:chart', async (req, reply) => {
    const params = z.object({ id: z.string().regex(/^\d{4}-W\d{2}(-\d+)?$/), chart: z.string().regex(/^[a-z0-9-]+\.png$/) }).safeParse(req.params);
    const edition = params.success ? ctx.store.edition(params.data.id) : undefined;
    const file = params.success ? join(ctx.editionsDir, `${params.data.id}-${params.data.chart}`) : '';
    if (!edition?.sent_at || !existsSync(file)) return message(reply, 404, 'Not found', 'There is no such chart.');
    return reply.type('image/png').header('cache-control', 'public, max-age=31536000, immutable').send(readFileSync(file));
  });

  app.get('/healthz', async (_req, reply) => {
    let database = 'ok';
    try {
      ctx.db.prepare('SELECT 1').get();
    } catch {
      database = 'unreachable';
    }
    const next = options.nextRun?.() ?? null;
    return reply.code(database === 'ok' ? 200 : 503).send({ status: database === 'ok' ? 'ok' : 'degraded', database, nextRun: next?.toISOString() ?? null });
  });

  const adminToken = ctx.env.ADMIN_TOKEN;
  if (adminToken) {
    app.post('/admin/send', async (req, reply) => {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!safeEqual(given, adminToken)) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      try {
        return reply.send(await weeklyDigest.run(ctx, {}));
      } catch (error) {
        return reply.code(409).send({ error: (error as Error).message });
      }
    });
  }
  return app;
}
