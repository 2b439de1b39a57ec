/**
 * The public site and the admin API (fastify): subscribe with double opt-in, confirm, read past
 * editions, leave in one click (RFC 8058), health, and a manual send behind a bearer token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Context } from '../context.js';
import { editionIdSchema } from '../edition-id.js';
import { composeMessage } from '../delivery/index.js';
import { personalizer, pointChartsAt, renderTransactional } from '../render/index.js';
import { messageOf } from '../errors.js';
import { emailSchema, type TokenSubject, unsubscribeUrl } from '../subscribers/index.js';
import { savedLede } from '../archive.js';
import { breakerState, type FeedbackTally, feedbackDeps, recordReports } from '../feedback/apply.js';
import type { Feedback } from '../feedback/policy.js';
import { postmarkFeedback, sesFeedback } from '../feedback/relays.js';
import { certificateCache, fetchOverHttps, isFresh, isSnsUrl, snsMessageSchema, verifySnsMessage } from '../feedback/sns.js';
import { startConfirmationWorker, type ConfirmationWorker } from './confirmations.js';
import { atomFeed, FEED_ENTRIES } from './feed.js';
import { networkKey } from './clients.js';
import { limitConnectionsPerClient } from './connections.js';
import { createPages } from './pages.js';
import { registerReviewLinks } from './review-links.js';
import { addressProblem, archiveRows, demoSample, editionPage } from './editions.js';
import { nextEditionText } from './next-edition.js';
import { checkFormToken, isCrossSite, issueFormToken, safeEqual, SECURITY_HEADERS, subscribeLimiter } from './security.js';

export interface ServerOptions {
  /** When the weekly job runs next (for /healthz); null when nothing is scheduled. */
  nextRun?: () => Date | null;
  /** Subscribe attempts allowed per IP per window. */
  subscribeLimit?: { limit: number; windowMs: number };
  /** How often the confirmation queue is worked through (ms). */
  confirmationIntervalMs?: number;
  /** Overrides of the socket limits (tests use short ones). */
  timeouts?: Partial<typeof TIMEOUTS>;
  /** POST /admin/send runs this (the weekly job, passed in by `serve`); without it the route does not exist. */
  sendNow?: () => Promise<unknown>;
  /** Fetches an SNS signing certificate or confirms a subscription (AWS over https; tests serve their own). */
  fetchText?: (url: string) => Promise<string>;
}

/** What every route group uses: the context, page rendering and the answers all pages share. */
interface Site {
  app: FastifyInstance;
  ctx: Context;
  page: ReturnType<typeof createPages>;
  html: (reply: FastifyReply, status: number, body: string) => FastifyReply;
  message: (reply: FastifyReply, status: number, heading: string, text: string, link?: { href: string; text: string }) => FastifyReply;
  badLink: (reply: FastifyReply) => FastifyReply;
  /** "The next edition goes out …" from the configured schedule and the context's clock; undefined when none is due. */
  nextEdition: (now: Date) => string | undefined;
}

/**
 * Slow clients cannot hold sockets: header, whole-request, idle and keep-alive limits, a connection cap,
 * and a share of it per client. 75 new trickling connections a second hold at most 75 x 5 s of the
 * 1,000; one client holds at most 32. Requests per socket are not capped (past a cap Node answers 503).
 */
const TIMEOUTS = {
  connectionTimeout: 10_000,
  headersTimeout: 5_000,
  requestTimeout: 15_000,
  keepAliveTimeout: 5_000,
  maxConnections: 1_000,
  connectionsPerClient: 32,
};

const subscribeBody = z.object({
  email: z.string().max(1000),
  website: z.string().max(1000).optional(),
  form_token: z.string().max(200).optional(),
});
const tokenQuery = z.object({ token: z.string().max(200).default('') });
const editionParams = z.object({ id: editionIdSchema });

/** What a visitor is told after subscribing, whatever happened: no list enumeration. */
const SUBSCRIBE_ANSWER = 'If that address can receive email, a confirmation link is on its way. Click it to start receiving the newsletter.';

export function buildServer(ctx: Context, options: ServerOptions = {}): FastifyInstance & { confirmations: ConfirmationWorker } {
  const app = createApp(ctx, { ...TIMEOUTS, ...options.timeouts });
  const confirmations = startConfirmationWorker(ctx, options.confirmationIntervalMs);
  app.addHook('onClose', async () => confirmations.stop());
  const page = createPages(ctx.templatesDir, ctx.config);
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const message: Site['message'] = (reply, status, heading, text, link) =>
    html(reply, status, page('message', heading, { heading, message: text, link, role: status >= 400 ? 'alert' : 'status' }));
  const badLink = (reply: FastifyReply) =>
    message(reply, 400, 'Link not valid', 'This link is incomplete. Use the link from the email as it came.', { href: '/', text: 'Go to the subscribe page' });
  const site: Site = { app, ctx, page, html, message, badLink, nextEdition: nextEditionText(ctx.config) };
  // Whatever goes wrong, the answer never echoes internals (a stack, a zod dump, a file path).
  app.setErrorHandler((error: { statusCode?: number }, _req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) ctx.log.error({ err: String(error) }, 'request failed');
    return message(reply, status, status === 500 ? 'Something went wrong' : 'Bad request', status === 500 ? 'Please try again in a moment.' : 'The request was not understood.');
  });
  registerSubscribe(site, confirmations, options.subscribeLimit ?? { limit: 5, windowMs: 10 * 60_000 });
  registerLinks(site);
  registerReviewLinks(app, ctx, page, html, message);
  registerArchive(site);
  registerEditions(site);
  registerAbout(site);
  registerHealth(site, options.nextRun);
  registerWebhooks(site, options.fetchText ?? fetchOverHttps);
  if (ctx.env.ADMIN_TOKEN && options.sendNow) registerAdmin(site, ctx.env.ADMIN_TOKEN, options.sendNow);
  return Object.assign(app, { confirmations });
}

/** Fastify with socket limits, proxy trust as configured, body parsers and security headers. */
function createApp(ctx: Context, limits: typeof TIMEOUTS): FastifyInstance {
  const trust = ctx.env.TRUST_PROXY;
  // A hop count trusts that many proxies in front: the client is the address they reported before them.
  const trustProxy = typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    trustProxy,
    // Node checks request deadlines every connectionsCheckingInterval (30 s by default): check often
    // enough that a trickled body is cut off close to requestTimeout.
    serverFactory: (handler) => {
      const server = createServer(
        {
          requestTimeout: limits.requestTimeout,
          headersTimeout: Math.min(limits.headersTimeout, limits.requestTimeout),
          connectionsCheckingInterval: Math.min(1000, limits.headersTimeout / 2, limits.requestTimeout / 2),
        },
        handler,
      );
      server.timeout = limits.connectionTimeout;
      server.keepAliveTimeout = limits.keepAliveTimeout;
      server.maxConnections = limits.maxConnections;
      // Behind a proxy every socket is the proxy's: the proxy, which sees the clients, limits them.
      if (!trust) limitConnectionsPerClient(server, limits.connectionsPerClient);
      return server;
    },
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  // RFC 8058 one-click posts may come as multipart/form-data or anything else; no route reads such a body.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, {}));
  // An empty JSON body (a bare POST /admin/send) is an empty object, not an error.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, (body as string).trim() === '' ? {} : JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });
  return app;
}

/** The home page and its form: double opt-in, the same answer whatever the address. */
function registerSubscribe({ app, ctx, page, html, message }: Site, confirmations: ConfirmationWorker, limit: { limit: number; windowMs: number }): void {
  const allowSubscribe = subscribeLimiter(ctx.store, limit.limit, limit.windowMs, () => ctx.clock().getTime());
  app.get('/', async (_req, reply) => {
    // The newest edition: a second edition of a week comes after the first (see Store.sentEditions).
    const latest = (await ctx.store.sentEditions())[0];
    return html(reply, 200, page('home', 'Subscribe', { latest, formToken: issueFormToken(ctx.secretKey, ctx.clock().getTime()) }));
  });

  app.post('/subscribe', async (req, reply) => {
    if (isCrossSite(req.headers, req.headers.host))
      return message(reply, 403, 'Not allowed', 'This form can only be sent from our own page.', { href: '/', text: 'Go to the subscribe page' });
    if (!(await allowSubscribe(req.ip)))
      return message(reply.header('retry-after', String(Math.ceil(limit.windowMs / 1000))), 429, 'Too many attempts', 'Please wait a few minutes and try again.');
    const body = subscribeBody.safeParse(req.body);
    if (!body.success || !checkFormToken(ctx.secretKey, body.data.form_token, ctx.clock().getTime())) {
      return message(reply, 400, 'Please try again', 'The form expired or was incomplete. Reload the page and submit it again.', { href: '/', text: 'Back to the form' });
    }
    // A bot filled the hidden field: tell it what we tell everyone, do nothing.
    if (body.data.website) return message(reply, 200, 'Check your inbox', SUBSCRIBE_ANSWER);
    const email = emailSchema.safeParse(body.data.email);
    if (!email.success) return message(reply, 400, 'That address does not look right', addressProblem(email.error.issues[0]!.code), { href: '/', text: 'Back to the form' });
    // The confirmation is queued (the worker sends it, retrying): the answer is immediate and the same
    // for a new, a pending, a confirmed or a throttled address, and whether SMTP is up or not.
    await ctx.subscribers.subscribe(email.data, networkKey(req.ip));
    confirmations.runOnce().catch((error: Error) => ctx.log.error({ err: error.message }, 'confirmation queue'));
    return message(reply, 200, 'Check your inbox', SUBSCRIBE_ANSWER);
  });
}

/** Confirm and unsubscribe links: a GET shows one button, the POST acts (link scanners only GET). */
function registerLinks({ app, ctx, page, html, message, badLink, nextEdition }: Site): void {
  for (const [name, title] of [
    ['confirm', 'Confirm'],
    ['unsubscribe', 'Unsubscribe'],
  ] as const) {
    app.get(`/${name}`, async (req, reply) => {
      const query = tokenQuery.safeParse(req.query);
      if (!query.success || !/^[\w.-]+$/.test(query.data.token)) return badLink(reply);
      return html(reply, 200, page(name, title, { token: query.data.token }));
    });
  }

  app.post('/confirm', async (req, reply) => {
    const query = tokenQuery.safeParse(req.query);
    if (!query.success) return badLink(reply);
    const result = await ctx.subscribers.confirm(query.data.token);
    if (!result.ok) {
      const text =
        result.reason === 'expired'
          ? 'This confirmation link has expired. Subscribe again to get a fresh one.'
          : 'This confirmation link is not valid. Subscribe again to get a fresh one.';
      return message(reply, 400, 'Link not valid', text, { href: '/', text: 'Subscribe' });
    }
    if (result.newlyConfirmed && ctx.config.welcomeEmail) await sendWelcome(ctx, result.subscriber!);
    const next = nextEdition(ctx.clock());
    return message(reply, 200, 'You are subscribed', `Thank you. ${next ?? 'The newsletter arrives once a week.'}`, { href: '/archive', text: 'Read past editions' });
  });

  app.post('/unsubscribe', async (req, reply) => {
    // RFC 8058: no cookie, no login; the signed token is the authority. Idempotent: 200 every time.
    const query = tokenQuery.safeParse(req.query);
    if (!query.success) return badLink(reply);
    const result = await ctx.subscribers.unsubscribeByToken(query.data.token);
    if (!result.ok) return message(reply, 400, 'Link not valid', 'This unsubscribe link is not valid. Use the unsubscribe link at the foot of our latest email.');
    return message(reply, 200, 'You are unsubscribed', 'You will not receive the newsletter any more.', { href: '/', text: 'Changed your mind? Subscribe again' });
  });
}

async function sendWelcome(ctx: Context, subscriber: TokenSubject & { email: string }): Promise<void> {
  const mail = await renderTransactional(ctx.templatesDir, 'welcome', {
    title: ctx.config.title,
    tagline: ctx.config.tagline,
    email: subscriber.email,
    postalAddress: ctx.config.postalAddress,
    archiveUrl: `${ctx.env.PUBLIC_URL}/archive`,
    unsubscribeUrl: unsubscribeUrl(ctx, subscriber),
  });
  await ctx
    .transport()
    .send(await composeMessage({ from: ctx.sender, to: subscriber.email, ...mail, dkim: ctx.dkim }))
    .catch((error: Error) => ctx.log.error({ err: error.message }, 'welcome email failed'));
}

/** The archive and its feed. */
function registerArchive({ app, ctx, page, html }: Site): void {
  app.get('/archive', async (_req, reply) => {
    const editions = archiveRows(await ctx.store.sentEditions(), ctx.config);
    return html(reply, 200, page('archive', 'Archive', { editions, anyDemo: editions.some((e) => e.demo) }));
  });

  app.get('/feed.xml', async (_req, reply) => {
    const entries = (await ctx.store.sentEditions())
      .slice(0, FEED_ENTRIES)
      .map((e) => ({ id: e.id, headline: e.headline ?? e.subject, lede: savedLede(ctx.editionsDir, e.id), sentAt: e.sent_at! }));
    const site = { title: ctx.config.title, tagline: ctx.config.tagline, publicUrl: ctx.env.PUBLIC_URL };
    return reply
      .type('application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=900')
      .send(atomFeed(site, entries, ctx.clock()));
  });
}

/** Past editions as web pages (with the subscribe form), their charts as PNG files, and a sample. */
function registerEditions({ app, ctx, page, html, message }: Site): void {
  const formToken = () => issueFormToken(ctx.secretKey, ctx.clock().getTime());
  app.get('/editions/:id', async (req, reply) => {
    const params = editionParams.safeParse(req.params);
    const edition = params.success ? await ctx.store.edition(params.data.id) : undefined;
    const web = edition ? join(ctx.editionsDir, `${edition.id}.web.html`) : '';
    // <id>.html is the web version; archives from before it kept one as <id>.web.html, or only the email,
    // whose recipient parts are made general below.
    const file = existsSync(web) ? web : edition ? join(ctx.editionsDir, `${edition.id}.html`) : '';
    if (!edition?.sent_at || !existsSync(file)) return message(reply, 404, 'Not found', 'There is no such edition.', { href: '/archive', text: 'All editions' });
    const general = personalizer(readFileSync(file, 'utf8'), 'html')({ email: 'your address', unsubscribeUrl: `${ctx.env.PUBLIC_URL}/unsubscribe` });
    // The charts (CID images in the email) are served as the same PNG files.
    const body = pointChartsAt(general, (name) => `/editions/${edition.id}/${name}.png`);
    // A demo edition's email says so itself, at the top: the page adds no second label.
    return html(reply, 200, editionPage(page, body, { formToken: formToken() }));
  });

  app.get('/editions/:id/:chart', async (req, reply) => {
    const params = editionParams.extend({ chart: z.string().regex(/^[a-z0-9-]+\.png$/) }).safeParse(req.params);
    const edition = params.success ? await ctx.store.edition(params.data.id) : undefined;
    const file = params.success ? join(ctx.editionsDir, `${params.data.id}-${params.data.chart}`) : '';
    if (!edition?.sent_at || !existsSync(file)) return message(reply, 404, 'Not found', 'There is no such chart.');
    return reply.type('image/png').header('cache-control', 'public, max-age=31536000, immutable').send(readFileSync(file));
  });

  // The newest real edition when there is one; before that, an edition built from demo data, labelled so.
  const sample = demoSample(ctx);
  app.get('/sample', async (_req, reply) => {
    const latest = (await ctx.store.sentEditions()).find((e) => !e.demo);
    if (latest) return reply.redirect(`/editions/${latest.id}`, 302);
    return html(reply, 200, editionPage(page, await sample(), { label: SAMPLE_LABEL, formToken: formToken() }));
  });
}

const SAMPLE_LABEL = { heading: 'A sample.', text: 'No edition has gone out yet: this is what the weekly email looks like, built from demo data.' };

/** What the newsletter is, and what it keeps about subscribers. */
function registerAbout({ app, ctx, page, html, nextEdition }: Site): void {
  app.get('/about', async (_req, reply) => html(reply, 200, page('about', 'About', { nextEdition: nextEdition(ctx.clock()), hasFeed: true })));
  app.get('/privacy', async (_req, reply) => html(reply, 200, page('privacy', 'Privacy')));
}

function registerHealth({ app, ctx }: Site, nextRun: ServerOptions['nextRun']): void {
  app.get('/healthz', async (_req, reply) => {
    let database = 'ok';
    try {
      await ctx.store.healthCheck();
    } catch {
      database = 'unreachable';
    }
    const next = nextRun?.() ?? null;
    // The feedback circuit breaker: tripped when it held reports in the last day (someone should look).
    const feedback = database === 'ok' ? await breakerState(ctx.store, ctx.config.feedback.breaker, ctx.clock()).catch(() => null) : null;
    return reply.code(database === 'ok' ? 200 : 503).send({ status: database === 'ok' ? 'ok' : 'degraded', database, nextRun: next?.toISOString() ?? null, feedback });
  });
}

/**
 * POST /admin/send behind a bearer token, checked before anything reads the body. The check is a hook of
 * the admin plugin's own encapsulated context, so it runs for every request the router sends to an admin
 * route, however its path was spelled (/%61dmin/send decodes to the same route); a prefix test on the raw
 * URL did not.
 */
function registerAdmin({ app }: Site, adminToken: string, sendNow: () => Promise<unknown>): void {
  // Not awaited: fastify loads the plugin when the server starts, and a failure there fails the start.
  void app.register(
    (admin, _options, done) => {
      // A stranger gets 401, never a parser's 400 or 415.
      admin.addHook('onRequest', async (req, reply) => {
        const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        if (!safeEqual(given, adminToken)) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      });
      admin.post('/send', async (_req, reply) => {
        try {
          return reply.send(await sendNow());
        } catch (error) {
          return reply.code(409).send({ error: messageOf(error) });
        }
      });
      done();
    },
    { prefix: '/admin' },
  );
}

/**
 * Bounces and complaints after the send, from the relays: Postmark (basic auth with POSTMARK_WEBHOOK_TOKEN,
 * checked before the body is read) and Amazon SES through SNS (signature verified, SES_TOPIC_ARN only,
 * at most an hour old). Each route exists only when configured. Authenticated is not enough to act: each
 * report must still prove which message of ours it answers (see feedback/apply.ts).
 */
function registerWebhooks({ app, ctx }: Site, fetchText: (url: string) => Promise<string>): void {
  const deps = feedbackDeps(ctx);
  const record = async (reports: Feedback[][]) => {
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
  if (topic) registerSes(app, ctx, topic, certificateCache(fetchText), fetchText, record);
}

const answer = (t: FeedbackTally) => ({ recorded: t.recorded, acted: t.acted, untrusted: t.untrusted, held: t.held, replays: t.replays });

function registerSes(
  app: FastifyInstance,
  ctx: Context,
  topic: string,
  certificate: (url: string) => Promise<string>,
  fetchText: (url: string) => Promise<string>,
  record: (reports: Feedback[][]) => Promise<FeedbackTally>,
): void {
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
    if (m.TopicArn !== topic || !(await verifySnsMessage(m, certificate).catch(() => false))) return reply.code(403).send({ error: 'not signed by SNS for the configured topic' });
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
}
