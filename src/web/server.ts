/**
 * The public site and the admin (fastify), put together from one plugin per concern: the site's pages
 * and email links (routes/site.ts), the archive and feed (routes/archive.ts), counted links (routes/clicks.ts), health (routes/health.ts),
 * the publisher's review links (review-links.ts), the relays' webhooks (feedback/webhooks.ts) and the admin under /admin (admin/plugin.ts: the desk, and
 * the manual send for scripts).
 */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../shared/context.js';
import { relayWebhooks } from '../feedback/webhooks.js';
import { fetchOverHttps } from '../feedback/sns.js';
import { deskPages } from './admin/desk.js';
import { admin } from './admin/plugin.js';
import { createApp, TIMEOUTS } from './app.js';
import { type ConfirmationWorker, startConfirmationWorker } from './confirmations.js';
import { createSiteKit } from './kit.js';
import { archive } from './routes/archive.js';
import { clickRedirects } from './routes/clicks.js';
import { health } from './routes/health.js';
import { sitePages } from './routes/site.js';
import { registerReviewLinks } from './review-links.js';

export interface ServerOptions {
  /** When the weekly job runs next (for /healthz); null when nothing is scheduled. */
  nextRun?: () => Date | null;
  /** Subscribe (and desk sign-in) attempts allowed per client per window. */
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

export function buildServer(ctx: Context, options: ServerOptions = {}): FastifyInstance & { confirmations: ConfirmationWorker } {
  const app = createApp(ctx, { ...TIMEOUTS, ...options.timeouts });
  const confirmations = startConfirmationWorker(ctx, options.confirmationIntervalMs);
  app.addHook('onClose', async () => confirmations.stop());
  const kit = createSiteKit(ctx);
  // Whatever goes wrong, the answer never echoes internals (a stack, a zod dump, a file path).
  app.setErrorHandler((error: { statusCode?: number }, _req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) ctx.log.error({ err: String(error) }, 'request failed');
    return kit.message(
      reply,
      status,
      status === 500 ? 'Something went wrong' : 'Bad request',
      status === 500 ? 'Please try again in a moment.' : 'The request was not understood.',
    );
  });
  // Not awaited: fastify loads plugins when the server starts (or is first injected), and a failure there fails the start.
  const subscribeLimit = options.subscribeLimit ?? { limit: 5, windowMs: 10 * 60_000 };
  void app.register(sitePages(kit, { confirmations, limit: subscribeLimit }));
  void app.register((links, _options, done) => {
    registerReviewLinks(links, ctx, kit.page, kit.html, kit.message);
    done();
  });
  void app.register(archive(kit));
  void app.register(clickRedirects(kit));
  void app.register(health(ctx, options.nextRun));
  void app.register(relayWebhooks(ctx, options.fetchText ?? fetchOverHttps));
  const { ADMIN_TOKEN: adminToken, PUBLISHER_EMAIL: publisherEmail } = ctx.env;
  if (adminToken || publisherEmail)
    void app.register(admin({ kit, adminToken, publisherEmail, limit: subscribeLimit, sendNow: options.sendNow, pages: deskPages(kit) }), { prefix: '/admin' });
  return Object.assign(app, { confirmations });
}
