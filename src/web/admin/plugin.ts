/**
 * Everything under /admin, one encapsulated plugin. Its authentication is a hook of its own context, so
 * it runs for every request the router sends to an admin route however the path was spelled
 * (/%61dmin/send decodes to the same route); a prefix test on the raw URL did not.
 */
import type { FastifyPluginAsync } from 'fastify';
import { messageOf } from '../../errors.js';
import { safeEqual } from '../security.js';

export interface AdminOptions {
  adminToken: string;
  /** POST /admin/send runs this (the weekly job, passed in by `serve`); without it the route does not exist. */
  sendNow?: () => Promise<unknown>;
}

/** Register with `{ prefix: '/admin' }`. */
export function admin({ adminToken, sendNow }: AdminOptions): FastifyPluginAsync {
  return async (app) => {
    // Checked on onRequest, before anything reads the body: a stranger gets 401, never a parser's 400 or 415.
    app.addHook('onRequest', async (req, reply) => {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!safeEqual(given, adminToken)) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    });
    if (sendNow)
      app.post('/send', async (_req, reply) => {
        try {
          return reply.send(await sendNow());
        } catch (error) {
          return reply.code(409).send({ error: messageOf(error) });
        }
      });
  };
}
