/**
 * The editions: the next one to review (its preview at phone and desktop width, its checks, approve with
 * a note and a subject, or hold), any edition by id, and every edition sent with its results (and its
 * link clicks when tracking.clicks is on). The review itself is desk-core's (src/desk/), the CLI's too.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { approveEdition, type EditionSummary, holdEdition, listEditions, previewEdition, showEdition } from '../../../desk/index.js';
import { editionIdSchema } from '../../../edition/id.js';
import { isRefusal, messageOf, UserError } from '../../../shared/errors.js';
import type { SiteKit } from '../../kit.js';
import { SECURITY_HEADERS } from '../../security.js';
import { deskView, shortTime } from '../view.js';

const idParams = z.object({ id: editionIdSchema });
const approveBody = z.object({ note: z.string().max(5000).default(''), subject: z.string().max(1000).default('') });
const holdBody = z.object({ reason: z.string().max(5000).default('') });
/** An edition the publisher can still act on. */
const OPEN = new Set(['draft', 'held', 'approved']);
/** The preview frames, as a phone and a desktop mail client show the email. */
const WIDTHS = [375, 600];

/** The desk page frames the preview: only its own pages, nothing else. */
const FRAMING_PAGE = { 'content-security-policy': `${SECURITY_HEADERS['content-security-policy']}; frame-src 'self'` };
const FRAMED = {
  'content-security-policy': SECURITY_HEADERS['content-security-policy']!.replace("frame-ancestors 'none'", "frame-ancestors 'self'"),
  'x-frame-options': 'SAMEORIGIN',
};

export function editionPages(kit: SiteKit): FastifyPluginAsync {
  const view = deskView(kit);
  const { ctx, message } = kit;
  const results = (e: EditionSummary) => ({ ...e, sent: shortTime(e.sentAt) });
  const show = async (req: FastifyRequest, reply: FastifyReply, edition: EditionSummary | undefined, notice?: string, status = 200) => {
    const clicks = edition && ctx.config.tracking.clicks ? await ctx.store.clickCounts(edition.id) : [];
    const data = edition && {
      edition,
      open: OPEN.has(edition.state),
      previews: WIDTHS,
      times: { built: shortTime(edition.builtAt), sendAt: shortTime(edition.sendAt), sent: shortTime(edition.sentAt), reviewed: shortTime(edition.reviewedAt) },
      clicks,
    };
    for (const [name, value] of Object.entries(FRAMING_PAGE)) reply.header(name, value);
    return view(req, reply, 'desk-next', edition ? edition.subject : 'Next edition', { ...data, notice, nextRun: kit.nextEdition(ctx.clock()) }, status);
  };
  /** Runs the publisher's word through desk-core: its refusals are one line for the page. */
  const review = async (req: FastifyRequest, reply: FastifyReply, act: (id: string) => Promise<EditionSummary>) => {
    const id = idParams.safeParse(req.params);
    if (!id.success) return message(reply, 404, 'Not found', 'There is no such edition.', { href: '/admin/editions', text: 'All editions' });
    try {
      await act(id.data.id);
      return reply.redirect(`/admin/editions/${id.data.id}`, 303);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return show(req, reply, await showEdition(ctx, id.data.id).catch(() => undefined), messageOf(error), isRefusal(error) ? 409 : 400);
    }
  };

  return async (app) => {
    app.get('/', async (req, reply) =>
      show(
        req,
        reply,
        (await listEditions(ctx)).find((e) => OPEN.has(e.state)),
      ),
    );
    app.get('/editions', async (req, reply) => {
      const tracking = ctx.config.tracking.clicks;
      const editions = await Promise.all(
        (await listEditions(ctx)).map(async (e) => ({ ...results(e), clicks: tracking ? (await ctx.store.clickCounts(e.id)).reduce((n, c) => n + c.clicks, 0) : 0 })),
      );
      return view(req, reply, 'desk-editions', 'Editions', { editions, tracking });
    });
    app.get('/editions/:id', async (req, reply) => {
      const id = idParams.safeParse(req.params);
      const edition = id.success ? await showEdition(ctx, id.data.id).catch(() => undefined) : undefined;
      if (!edition) return message(reply, 404, 'Not found', 'There is no such edition.', { href: '/admin/editions', text: 'All editions' });
      return show(req, reply, edition);
    });
    app.post('/editions/:id/approve', async (req, reply) => {
      const body = approveBody.parse(req.body ?? {});
      // An empty subject field keeps the built one; an empty note removes the note.
      return review(req, reply, (id) => approveEdition(ctx, id, { note: body.note, ...(body.subject.trim() ? { subject: body.subject } : {}), by: 'desk' }));
    });
    app.post('/editions/:id/hold', async (req, reply) => review(req, reply, (id) => holdEdition(ctx, id, { reason: holdBody.parse(req.body ?? {}).reason, by: 'desk' })));
    await app.register(previews(kit));
  };
}

/** The edition as the list gets it (desk-core's previewEdition: the note and subject applied, charts inline), for the preview frames. */
function previews({ ctx, message }: SiteKit): FastifyPluginAsync {
  return async (app) => {
    app.get('/editions/:id/preview', async (req, reply) => {
      const id = idParams.safeParse(req.params);
      const preview = id.success ? await previewEdition(ctx, id.data.id) : undefined;
      if (!preview) return message(reply, 404, 'Not found', 'This edition has no saved email to preview.');
      return reply.headers(FRAMED).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(preview.html);
    });
  };
}
