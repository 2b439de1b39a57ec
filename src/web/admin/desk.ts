/** The desk's pages, all registered inside the admin plugin's guard (see plugin.ts). */
import type { FastifyPluginAsync } from 'fastify';
import type { SiteKit } from '../kit.js';
import { dataPage } from './pages/data.js';
import { feedbackPage } from './pages/feedback.js';
import { importPages } from './pages/import.js';
import { subscriberPages } from './pages/subscribers.js';

export function deskPages(kit: SiteKit): FastifyPluginAsync {
  return async (app) => {
    await app.register(subscriberPages(kit, async () => ({})));
    await app.register(importPages(kit));
    await app.register(feedbackPage(kit));
    await app.register(dataPage(kit));
  };
}
