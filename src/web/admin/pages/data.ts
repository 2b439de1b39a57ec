/** The data providers' health: the closes cache per source (when last fetched, first and last close, how many) and what the guards said of the newest edition. */
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { editionFiles } from '../../../edition/archive.js';
import type { Context } from '../../../shared/context.js';
import type { SiteKit } from '../../kit.js';
import { deskView, shortTime } from '../view.js';

const guardsSchema = z.object({
  id: z.string(),
  fetchedAt: z.string().optional(),
  source: z.string().optional(),
  issues: z.array(z.object({ symbol: z.string(), kind: z.string(), message: z.string() })).default([]),
  notes: z.array(z.string()).default([]),
});

/** The guards' findings saved with the newest edition built (its JSON file), if any. */
async function newestGuards(ctx: Context) {
  const newest = (await ctx.store.sentEditions())[0];
  if (!newest) return undefined;
  try {
    return guardsSchema.safeParse(JSON.parse(readFileSync(editionFiles(ctx.editionsDir, newest.id).json, 'utf8'))).data;
  } catch {
    return undefined;
  }
}

/** A source whose last close is more than a week before today is worth a look. */
const STALE_DAYS = 7;

export function dataPage(kit: SiteKit): FastifyPluginAsync {
  const view = deskView(kit);
  const { ctx } = kit;
  return async (app) => {
    app.get('/data', async (req, reply) => {
      const today = ctx.clock().toISOString().slice(0, 10);
      const stale = new Date(Date.parse(today) - STALE_DAYS * 86_400_000).toISOString().slice(0, 10);
      const [cached, fetches] = await Promise.all([ctx.store.cachedSources(), ctx.store.lastFetches()]);
      const fetched = new Map(fetches.map((f) => [f.source, shortTime(f.fetched_at)]));
      const sources = cached.map((s) => ({ ...s, stale: s.last < stale, fetched: fetched.get(s.source) }));
      const guards = await newestGuards(ctx);
      return view(req, reply, 'desk-data', 'Data', { sources, guards, fetched: shortTime(guards?.fetchedAt), staleDays: STALE_DAYS });
    });
  };
}
