/**
 * The site's own pages: the home page and its subscribe form (double opt-in, the same answer whatever
 * the address), the confirm and unsubscribe links, about and privacy.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { emailSchema } from '../../subscribers/index.js';
import { networkKey } from '../clients.js';
import type { ConfirmationWorker } from '../confirmations.js';
import { addressProblem } from '../editions.js';
import type { SiteKit } from '../kit.js';
import { checkFormToken, isCrossSite, issueFormToken, subscribeLimiter } from '../security.js';
import { sendWelcome } from '../welcome.js';

const subscribeBody = z.object({
  email: z.string().max(1000),
  website: z.string().max(1000).optional(),
  form_token: z.string().max(200).optional(),
});
const tokenQuery = z.object({ token: z.string().max(200).default('') });

/** What a visitor is told after subscribing, whatever happened: no list enumeration. */
const SUBSCRIBE_ANSWER = 'If that address can receive email, a confirmation link is on its way. Click it to start receiving the newsletter.';

export interface SitePagesOptions {
  confirmations: ConfirmationWorker;
  /** Subscribe attempts allowed per client per window. */
  limit: { limit: number; windowMs: number };
}

export function sitePages(kit: SiteKit, options: SitePagesOptions): FastifyPluginAsync {
  return async (app) => {
    const { ctx, page, html, nextEdition } = kit;
    app.get('/about', async (_req, reply) => html(reply, 200, page('about', 'About', { nextEdition: nextEdition(ctx.clock()), hasFeed: true })));
    app.get('/privacy', async (_req, reply) => html(reply, 200, page('privacy', 'Privacy', { tracking: ctx.config.tracking })));
    await app.register(subscribeForm(kit, options));
    await app.register(emailLinks(kit));
  };
}

function subscribeForm({ ctx, page, html, message }: SiteKit, { confirmations, limit }: SitePagesOptions): FastifyPluginAsync {
  const allowSubscribe = subscribeLimiter(ctx.store, limit.limit, limit.windowMs, () => ctx.clock().getTime());
  return async (app) => {
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
  };
}

/** Confirm and unsubscribe links: a GET shows one button, the POST acts (link scanners only GET). */
function emailLinks({ ctx, page, html, message, badLink, nextEdition }: SiteKit): FastifyPluginAsync {
  return async (app) => {
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
  };
}
