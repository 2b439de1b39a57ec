/** Past editions: the archive, its Atom feed, each edition as a web page with its charts, and a sample. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { savedLede } from '../../edition/archive.js';
import { editionIdSchema } from '../../edition/id.js';
import { personalizer, pointChartsAt } from '../../render/index.js';
import { archiveRows, demoSample, editionPage } from '../editions.js';
import { atomFeed, FEED_ENTRIES } from '../feed.js';
import type { SiteKit } from '../kit.js';
import { issueFormToken } from '../security.js';

const editionParams = z.object({ id: editionIdSchema });

const SAMPLE_LABEL = { heading: 'A sample.', text: 'No edition has gone out yet: this is what the weekly email looks like, built from demo data.' };

export function archive(kit: SiteKit): FastifyPluginAsync {
  return async (app) => {
    const { ctx, page, html } = kit;
    app.get('/archive', async (_req, reply) => {
      const editions = archiveRows(await ctx.store.sentEditions(), ctx.config);
      return html(reply, 200, page('archive', 'Archive', { editions, anyDemo: editions.some((e) => e.demo) }));
    });

    app.get('/feed.xml', async (_req, reply) => {
      const entries = (await ctx.store.sentEditions())
        .slice(0, FEED_ENTRIES)
        .map((e) => ({ id: e.id, headline: e.headline ?? e.subject, lede: savedLede(ctx.editionsDir, e.id), sentAt: e.sent_at! }));
      const site = { title: ctx.config.title, tagline: ctx.config.tagline, publicUrl: ctx.env.PUBLIC_URL };
      return reply
        .type('application/atom+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=900')
        .send(atomFeed(site, entries, ctx.clock()));
    });
    await app.register(editionPages(kit));
  };
}

/** Past editions as web pages (with the subscribe form), their charts as PNG files, and a sample. */
function editionPages({ ctx, page, html, message }: SiteKit): FastifyPluginAsync {
  const formToken = () => issueFormToken(ctx.secretKey, ctx.clock().getTime());
  return async (app) => {
    app.get('/editions/:id', async (req, reply) => {
      const params = editionParams.safeParse(req.params);
      const edition = params.success ? await ctx.store.edition(params.data.id) : undefined;
      const web = edition ? join(ctx.editionsDir, `${edition.id}.web.html`) : '';
      // <id>.html is the web version; archives from before it kept one as <id>.web.html, or only the email,
      // whose recipient parts are made general below.
      const file = existsSync(web) ? web : edition ? join(ctx.editionsDir, `${edition.id}.html`) : '';
      if (!edition?.sent_at || !existsSync(file)) return message(reply, 404, 'Not found', 'There is no such edition.', { href: '/archive', text: 'All editions' });
      const general = personalizer(readFileSync(file, 'utf8'), 'html')({ email: 'your address', unsubscribeUrl: `${ctx.env.PUBLIC_URL}/unsubscribe` });
      // The charts (CID images in the email) are served as the same PNG files.
      const body = pointChartsAt(general, (name) => `/editions/${edition.id}/${name}.png`);
      // A demo edition's email says so itself, at the top: the page adds no second label.
      return html(reply, 200, editionPage(page, body, { formToken: formToken() }));
    });

    app.get('/editions/:id/:chart', async (req, reply) => {
      const params = editionParams.extend({ chart: z.string().regex(/^[a-z0-9-]+\.png$/) }).safeParse(req.params);
      const edition = params.success ? await ctx.store.edition(params.data.id) : undefined;
      const file = params.success ? join(ctx.editionsDir, `${params.data.id}-${params.data.chart}`) : '';
      if (!edition?.sent_at || !existsSync(file)) return message(reply, 404, 'Not found', 'There is no such chart.');
      return reply.type('image/png').header('cache-control', 'public, max-age=31536000, immutable').send(readFileSync(file));
    });

    // The newest real edition when there is one; before that, an edition built from demo data, labelled so.
    const sample = demoSample(ctx);
    app.get('/sample', async (_req, reply) => {
      const latest = (await ctx.store.sentEditions()).find((e) => !e.demo);
      if (latest) return reply.redirect(`/editions/${latest.id}`, 302);
      return html(reply, 200, editionPage(page, await sample(), { label: SAMPLE_LABEL, formToken: formToken() }));
    });
  };
}
