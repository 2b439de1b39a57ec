/**
 * Everything under /admin, one encapsulated plugin: the sign-in pages (public) beside a guarded context
 * holding every other route. The guard is a hook of that context, so it runs for every request the
 * router sends to one of its routes however the path was spelled (/%61dmin/send decodes to the same
 * route); a prefix test on the raw URL did not. A route cannot opt out: it would have to be registered
 * outside the guarded context.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { messageOf } from '../../shared/errors.js';
import type { SiteKit } from '../kit.js';
import { isCrossSite, safeEqual } from '../security.js';
import { type Session, cookieValue, endSession, findSession, SESSION_COOKIE, sessionCookie } from './session.js';
import { type SignInLimiter, signIn, signInLimiter } from './sign-in.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The desk's session of a signed-in browser; undefined for a script with the bearer token. */
    deskSession?: Session;
  }
}

export interface AdminOptions {
  kit: SiteKit;
  /** Signs in (the form) and authenticates scripts (Authorization: Bearer). */
  adminToken?: string | undefined;
  /** Where emailed sign-in links go. */
  publisherEmail?: string | undefined;
  /** Sign-in attempts allowed per client per window (the subscribe form's limit). */
  limit: { limit: number; windowMs: number };
  /** POST /admin/send runs this (the weekly job, passed in by `serve`); without it the route does not exist. */
  sendNow?: (() => Promise<unknown>) | undefined;
  /** The desk's pages, registered inside the guard. */
  pages?: FastifyPluginAsync;
}

/** Register with `{ prefix: '/admin' }`. */
export function admin(options: AdminOptions): FastifyPluginAsync {
  // One count for every way of guessing the admin token: the form, the link, a bearer header.
  const attempts = signInLimiter(options);
  return async (app) => {
    await app.register(signIn(options, attempts));
    await app.register(guarded(options, attempts));
  };
}

const bearer = (req: FastifyRequest) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

function guarded({ kit, adminToken, sendNow, pages, limit }: AdminOptions, attempts: SignInLimiter): FastifyPluginAsync {
  const { ctx, message } = kit;
  return async (app) => {
    // On onRequest, before anything reads the body: a stranger gets 401 (a page, a redirect to sign in),
    // never a parser's 400 or 415.
    app.addHook('onRequest', async (req, reply) => {
      const token = bearer(req);
      if (token !== undefined) {
        // Past the limit even the right token is refused, as the form refuses it: no answer tells a guess apart.
        if (await attempts.exhausted(req.ip))
          return reply
            .code(429)
            .header('retry-after', String(Math.ceil(limit.windowMs / 1000)))
            .send({ error: 'too many attempts' });
        if (adminToken && safeEqual(token, adminToken)) return;
        await attempts(req.ip);
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
      req.deskSession = await findSession(ctx.store, cookieValue(req.headers.cookie, SESSION_COOKIE), ctx.clock());
      if (req.deskSession) return;
      if (req.method === 'GET' || req.method === 'HEAD') return reply.redirect('/admin/login', 303);
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    });
    // Every form a signed-in browser posts carries the session's CSRF token, from our own origin.
    app.addHook('preHandler', async (req, reply) => {
      if (req.method !== 'POST' || !req.deskSession) return;
      const csrf = (req.body as { csrf?: unknown } | undefined)?.csrf;
      if (isCrossSite(req.headers, req.headers.host) || typeof csrf !== 'string' || !safeEqual(csrf, req.deskSession.csrf))
        return message(reply, 403, 'Not allowed', 'The form expired or came from elsewhere. Reload the page and try again.', { href: '/admin', text: 'Back to the desk' });
    });
    app.post('/logout', async (req, reply) => {
      await endSession(ctx.store, req.deskSession!.id, ctx.clock());
      return reply.header('set-cookie', sessionCookie('', req.protocol === 'https', 0)).redirect('/admin/login', 303);
    });
    if (sendNow) app.post('/send', async (_req, reply) => runSend(reply, sendNow));
    if (pages) await app.register(pages);
  };
}

async function runSend(reply: FastifyReply, sendNow: () => Promise<unknown>) {
  try {
    return reply.send(await sendNow());
  } catch (error) {
    return reply.code(409).send({ error: messageOf(error) });
  }
}
