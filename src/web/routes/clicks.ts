/**
 * GET /r/<edition>/<mac>?u=<url>: a counted link of an edition (tracking.clicks, see render/click-links.ts).
 * A genuine link is counted (per edition and link; per person only with tracking.perSubscriber, when the
 * link carries the recipient's signed link) and redirected; a forged or altered one is refused.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { editionIdSchema } from '../../edition/id.js';
import { checkClickMac } from '../../render/click-links.js';
import { tokenSubscriberId, verifyToken } from '../../subscribers/index.js';
import type { SiteKit } from '../kit.js';

const params = z.object({ id: editionIdSchema, mac: z.string().regex(/^[\w-]{22}$/) });
const query = z.object({ u: z.url({ protocol: /^https?$/ }).max(4000), who: z.string().max(1000).optional() });

export function clickRedirects({ ctx, message }: SiteKit): FastifyPluginAsync {
  /** Who clicked, from the recipient's own signed unsubscribe link; undefined when it is missing or forged. */
  const clicker = async (who: string | undefined): Promise<number | undefined> => {
    const token = who ? (new URL(who, ctx.env.PUBLIC_URL).searchParams.get('token') ?? '') : '';
    const id = tokenSubscriberId(token);
    const subject = id === undefined ? undefined : await ctx.store.subscriberById(id);
    const check = verifyToken(ctx.secretKey, 'unsubscribe', token, ctx.clock(), () => subject);
    return check.ok ? check.subscriberId : undefined;
  };
  return async (app) => {
    app.get('/r/:id/:mac', async (req, reply) => {
      const p = params.safeParse(req.params);
      const q = query.safeParse(req.query);
      if (!p.success || !q.success || !checkClickMac(ctx.secretKey, p.data.id, q.data.u, p.data.mac))
        return message(reply, 400, 'Link not valid', 'This link is incomplete or was changed. Use the link from the email as it came.', { href: '/', text: 'Go to the home page' });
      const person = ctx.config.tracking.perSubscriber ? await clicker(q.data.who).catch(() => undefined) : undefined;
      if (ctx.config.tracking.clicks) await ctx.store.countClick(p.data.id, q.data.u, person ?? null);
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(q.data.u, 302);
    });
  };
}
