/**
 * Signing in to the desk: the admin token typed into a form, or a single-use link emailed to
 * PUBLISHER_EMAIL (its GET shows one button, its POST signs in: link scanners only GET). Both are
 * rate-limited per client like the subscribe form, checked for origin and carry a signed form token.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { composeMessage } from '../../delivery/index.js';
import { escapeHtml } from '../../shared/escape.js';
import type { SiteKit } from '../kit.js';
import { checkFormToken, clientLimiter, isCrossSite, issueFormToken, safeEqual } from '../security.js';
import type { AdminOptions } from './plugin.js';
import { issueSignInToken, LINK_TTL_MS, sessionCookie, startSession, useSignInToken } from './session.js';

const signInBody = z.object({ token: z.string().max(1000).optional(), form_token: z.string().max(200).optional() });
const linkQuery = z.object({ token: z.string().max(200).default('') });

const LINK_SENT = 'If the desk can mail the publisher, a sign-in link is on its way. It works once, for 15 minutes.';

/** Attempts to sign in, counted per client: the form, the emailed link, and a wrong bearer token alike. */
export const signInLimiter = ({ kit: { ctx }, limit }: AdminOptions) => clientLimiter(ctx.store, 'desk-sign-in', limit.limit, limit.windowMs, () => ctx.clock().getTime());
export type SignInLimiter = ReturnType<typeof signInLimiter>;

export function signIn({ kit, adminToken, publisherEmail, limit }: AdminOptions, allow: SignInLimiter): FastifyPluginAsync {
  const { ctx, page, html, message } = kit;
  const formToken = () => issueFormToken(ctx.secretKey, ctx.clock().getTime());
  const loginPage = (reply: FastifyReply, status: number, notice?: string) =>
    html(reply, status, page('desk-login', 'Sign in', { formToken: formToken(), byToken: Boolean(adminToken), byEmail: Boolean(publisherEmail), notice, desk: true }));
  /** The checks every sign-in post passes first; a reply when it fails. */
  const refuse = async (req: FastifyRequest, reply: FastifyReply) => {
    if (isCrossSite(req.headers, req.headers.host)) return message(reply, 403, 'Not allowed', 'Sign in from the desk’s own page.', { href: '/admin/login', text: 'Sign in' });
    if (!(await allow(req.ip)))
      return message(reply.header('retry-after', String(Math.ceil(limit.windowMs / 1000))), 429, 'Too many attempts', 'Please wait a few minutes and try again.');
    const body = signInBody.safeParse(req.body);
    if (!body.success || !checkFormToken(ctx.secretKey, body.data.form_token, ctx.clock().getTime())) return loginPage(reply, 400, 'The form expired. Please try again.');
    return undefined;
  };
  const signedIn = async (req: FastifyRequest, reply: FastifyReply) => {
    const session = await startSession(ctx.store, ctx.clock());
    return reply.header('set-cookie', sessionCookie(session.id, req.protocol === 'https')).redirect('/admin', 303);
  };

  return async (app) => {
    app.get('/login', async (_req, reply) => loginPage(reply, 200));
    app.post('/login', async (req, reply) => {
      const refused = await refuse(req, reply);
      if (refused) return refused;
      const given = (req.body as { token?: string }).token ?? '';
      if (!adminToken || !safeEqual(given, adminToken)) return loginPage(reply, 401, 'That is not the admin token.');
      return signedIn(req, reply);
    });
    app.post('/login/email', async (req, reply) => {
      const refused = await refuse(req, reply);
      if (refused) return refused;
      if (publisherEmail) await mailSignInLink(kit, publisherEmail);
      return loginPage(reply, 200, LINK_SENT);
    });
    app.get('/login/link', async (req, reply) => {
      const query = linkQuery.safeParse(req.query);
      if (!query.success || !/^[\w.-]+$/.test(query.data.token)) return kit.badLink(reply);
      return html(reply, 200, page('desk-link', 'Sign in', { token: query.data.token, formToken: formToken(), desk: true }));
    });
    app.post('/login/link', async (req, reply) => {
      const refused = await refuse(req, reply);
      if (refused) return refused;
      const query = linkQuery.safeParse(req.query);
      if (!query.success || !(await useSignInToken(ctx.store, ctx.secretKey, query.data.token, ctx.clock())))
        return loginPage(reply, 400, 'That sign-in link has expired or was used already. Ask for a new one.');
      return signedIn(req, reply);
    });
  };
}

async function mailSignInLink({ ctx }: SiteKit, to: string): Promise<void> {
  const token = await issueSignInToken(ctx.store, ctx.secretKey, ctx.clock());
  const url = `${ctx.env.PUBLIC_URL}/admin/login/link?token=${token}`;
  const minutes = LINK_TTL_MS / 60_000;
  const text = `Sign in to the desk of ${ctx.config.title}:\n\n${url}\n\nThe link works once, for ${minutes} minutes. If you did not ask for it, ignore this email.\n`;
  const html = `<p>Sign in to the desk of ${escapeHtml(ctx.config.title)}:</p><p><a href="${escapeHtml(url)}">Sign in</a></p><p>The link works once, for ${minutes} minutes. If you did not ask for it, ignore this email.</p>`;
  await ctx
    .transport()
    .send(await composeMessage({ from: ctx.sender, to, subject: `Sign in to the desk of ${ctx.config.title}`, html, text, dkim: ctx.dkim }))
    .catch((error: Error) => ctx.log.error({ err: error.message }, 'desk sign-in email failed'));
}
