/** GET /healthz: the database, the next scheduled run and the feedback circuit breaker, as JSON. */
import type { FastifyPluginAsync } from 'fastify';
import type { Context } from '../../shared/context.js';
import { breakerState } from '../../feedback/apply.js';

export function health(ctx: Context, nextRun?: () => Date | null): FastifyPluginAsync {
  return async (app) => {
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
  };
}
