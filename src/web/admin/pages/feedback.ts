/** Bounces and complaints: each report as evidence (what it said, what it proved) and what was done about it. */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { SiteKit } from '../../kit.js';
import { deskView, shortTime } from '../view.js';

const PAGE = 50;
const query = z.object({ before: z.coerce.number().int().positive().optional() });

/** What the trust column means to the publisher. */
const TRUST: Record<string, string> = {
  proven: 'proven: answers a message we sent',
  untrusted: 'unproven: kept, never acted on',
  held: 'proven, held by the circuit breaker',
  unchecked: 'recorded before proof was asked for',
};

export function feedbackPage(kit: SiteKit): FastifyPluginAsync {
  const view = deskView(kit);
  const { ctx } = kit;
  return async (app) => {
    app.get('/feedback', async (req, reply) => {
      const before = query.safeParse(req.query).data?.before;
      const rows = await ctx.store.feedbackLog(before, PAGE);
      const day = await ctx.store.feedbackCounts(new Date(ctx.clock().getTime() - 24 * 3600_000));
      const events = rows.map((r) => ({
        ...r,
        received: shortTime(r.received_at),
        trustText: TRUST[r.trust] ?? r.trust,
        done: r.action ? `set ${r.action}` : 'nothing',
        detail: (r.detail ?? '').slice(0, 300),
      }));
      const older = rows.length === PAGE ? rows.at(-1)!.id : undefined;
      return view(req, reply, 'desk-feedback', 'Bounces and complaints', { events, day, older, first: before === undefined });
    });
  };
}
