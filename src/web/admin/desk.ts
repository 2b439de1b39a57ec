/** The desk's pages, all registered inside the admin plugin's guard (see plugin.ts). */
import type { FastifyPluginAsync } from 'fastify';
import { spanStart, weeksFromDays } from '../../desk/stats.js';
import { toIsoDate } from '../../market/calendar.js';
import type { SiteKit } from '../kit.js';
import { joinsLeavesChart } from './chart.js';
import { dataPage } from './pages/data.js';
import { editionPages } from './pages/editions.js';
import { feedbackPage } from './pages/feedback.js';
import { importPages } from './pages/import.js';
import { subscriberPages } from './pages/subscribers.js';

/** Weeks of joins and leaves the list page charts. */
const CHART_WEEKS = 12;

export function deskPages(kit: SiteKit): FastifyPluginAsync {
  const { ctx } = kit;
  // Read from the summaries kept as statuses change: no count over a list of a million per view.
  const listSummary = async () => {
    const today = toIsoDate(ctx.clock());
    const from = spanStart(today, CHART_WEEKS);
    const [counts, days] = await Promise.all([ctx.store.subscriberCounts(), ctx.store.subscriberDays(from)]);
    return {
      counts: Object.entries(counts).map(([label, value]) => ({ label, value: value.toLocaleString('en-US') })),
      chart: joinsLeavesChart(weeksFromDays(days, from, today)),
    };
  };
  return async (app) => {
    await app.register(editionPages(kit));
    await app.register(subscriberPages(kit, listSummary));
    await app.register(importPages(kit));
    await app.register(feedbackPage(kit));
    await app.register(dataPage(kit));
  };
}
