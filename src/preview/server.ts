/**
 * The preview studio (`marketwrap preview`): every email and commentary template, rendered as
 * subscribers get it, for any demo scenario or cached data, with checks, the "why", a test send, and
 * live reload over server-sent events when a template or the config file changes.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import type { BuildContext } from '../edition/build.js';
import type { ContextUsing } from '../shared/context.js';
import type { StorePart } from '../db/index.js';
import { composeMessage, messageFactory, sendAdHoc } from '../delivery/index.js';
import { scenarioNames } from '../market/index.js';
import { sourcePath } from '../shared/paths.js';
import { emailSchema, unsubscribeUrl } from '../subscribers/index.js';
import { renderItem, studioEdition, studioItems } from './render.js';
import { testCopy } from '../render/web-link.js';

const PAGE = readFileSync(sourcePath('preview', 'studio.html'), 'utf8');

const renderQuery = z.object({
  item: z.string().max(60).default('digest'),
  data: z
    .string()
    .regex(/^(cache|demo:[a-z0-9-]+)$/)
    .default('demo:small-cap-rally'),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

const hostOf = (origin: string): string | undefined => {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
};

/** localhost, 127.0.0.1 or [::1], with any port. */
export function isLocalHost(host: string | undefined): boolean {
  return host !== undefined && /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i.test(host);
}

/** The studio's part of the database: a build's (the close cache), and a test send's recipient and edition. */
type StudioContext = ContextUsing<BuildContext['store'] & StorePart<'findSubscriber' | 'edition'>>;

/** Templates and the config file, watched: every change (one per editor burst) reaches each open page. */
function watchForChanges(ctx: StudioContext, clients: Set<(event: string) => void>): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    // Editors write files in bursts: one reload per burst.
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const send of clients) send('change');
    }, 100);
  };
  watchers.push(watch(resolve(ctx.templatesDir), { recursive: true }, changed));
  const configDir = dirname(resolve(ctx.env.CONFIG_FILE));
  watchers.push(watch(configDir, (_event, file) => file && resolve(configDir, String(file)) === resolve(ctx.env.CONFIG_FILE) && changed()));
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

/** A web page elsewhere must not drive the studio (it sends real mail): only localhost, only same-origin. */
function guardLocal(app: FastifyInstance): void {
  // DNS rebinding sends a foreign Host, a cross-site request a foreign Origin.
  app.addHook('onRequest', async (req, reply) => {
    if (!isLocalHost(req.headers.host)) return reply.code(403).send({ ok: false, error: 'the studio answers only to localhost' });
    const origin = req.headers.origin;
    if (origin !== undefined && !(isLocalHost(hostOf(origin)) && hostOf(origin) === req.headers.host)) {
      return reply.code(403).send({ ok: false, error: 'cross-origin requests are refused' });
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') return reply.code(403).send({ ok: false, error: 'cross-site requests are refused' });
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('content-security-policy', "frame-ancestors 'self'");
  });
}

export function buildPreviewServer(ctx: StudioContext): { app: FastifyInstance; close(): void } {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const clients = new Set<(event: string) => void>();
  const stopWatching = watchForChanges(ctx, clients);
  guardLocal(app);

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));

  app.get('/api/options', async () => ({
    items: studioItems(),
    data: [...scenarioNames.map((s) => ({ id: `demo:${s}`, label: `Demo: ${s}` })), { id: 'cache', label: 'Cached live data' }],
    cache: await ctx.store.cachedSources(),
  }));

  app.get('/api/render', async (req, reply) => {
    const query = renderQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send({ ok: false, error: { message: query.error.issues[0]!.message } });
    return renderItem(ctx, query.data);
  });

  app.post('/api/send-test', (req, reply) => sendTest(ctx, req.body, reply));

  app.get('/events', (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    reply.raw.write('retry: 500\n\n');
    const send = (event: string) => reply.raw.write(`event: ${event}\ndata: ${Date.now()}\n\n`);
    clients.add(send);
    req.raw.on('close', () => clients.delete(send));
  });

  return { app, close: stopWatching };
}

/** "Send test": the digest as `digest --to` sends it (charts as CID parts, List-Unsubscribe), other items as rendered. */
async function sendTest(ctx: StudioContext, input: unknown, reply: FastifyReply) {
  const body = z.object({ to: emailSchema, item: z.string().max(60), data: z.string().max(60), asOf: z.string().max(10).optional() }).safeParse(input);
  if (!body.success) return reply.code(400).send({ ok: false, error: body.error.issues[0]!.message });
  const query = renderQuery.parse({ item: body.data.item, data: body.data.data, asOf: body.data.asOf });
  if (query.item === 'digest') {
    // The real message, as `digest --to` sends it: charts as CID parts, List-Unsubscribe, the same MIME.
    const edition = await studioEdition(ctx, query).catch((error: Error) => error);
    if (edition instanceof Error) return reply.code(409).send({ ok: false, error: edition.message });
    const recipient = { email: body.data.to, unsubscribeUrl: unsubscribeUrl(ctx, await ctx.store.findSubscriber(body.data.to)) };
    const summary = await sendAdHoc([recipient], messageFactory(await testCopy(ctx.store, edition), ctx.sender, ctx.clock(), ctx.dkim, ctx.proofKey), ctx.transport());
    if (summary.failed) return reply.code(502).send({ ok: false, error: summary.failedRecipients[0]!.reply });
    return { ok: true, transport: ctx.transport().describe, reply: summary.sentTo[0]!.reply };
  }
  const rendered = await renderItem(ctx, query);
  if (!rendered.ok) return reply.code(409).send({ ok: false, error: rendered.error.message });
  const message = await composeMessage({ from: ctx.sender, to: body.data.to, subject: `[TEST] ${rendered.subject}`, html: rendered.html, text: rendered.text, dkim: ctx.dkim });
  const { reply: where } = await ctx.transport().send(message);
  return { ok: true, transport: ctx.transport().describe, reply: where };
}
