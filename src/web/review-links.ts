/**
 * The publisher's approve and hold links (src/desk/links.ts): GET /review/<id>/<action> shows one
 * button, its POST acts once. Nothing here needs a session: the signed, single-use link is the authority.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../shared/context.js';
import { type LinkResult, reviewLinkSchema, useReviewLink } from '../desk/links.js';
import type { Pages } from './pages.js';

type Message = (reply: FastifyReply, status: number, heading: string, text: string) => FastifyReply;

const REFUSED: Record<Exclude<LinkResult, { ok: true }>['reason'], string> = {
  forged: 'This link is not valid. Use the link from the review email as it came.',
  stale: 'This link is for an earlier build of the edition. Use the links in the newest review email.',
  used: 'This link was used already. Each link in the review email works once: use the desk, or marketwrap editions approve or hold on the server.',
  started: 'This edition is being sent or was sent: its review is over.',
};

export function registerReviewLinks(
  app: FastifyInstance,
  ctx: Context,
  page: Pages,
  html: (reply: FastifyReply, status: number, body: string) => FastifyReply,
  message: Message,
): void {
  const linkOf = (req: { params: unknown; query: unknown }) => reviewLinkSchema.safeParse({ ...(req.params as object), ...(req.query as object) });
  app.get('/review/:id/:action', async (req, reply) => {
    const link = linkOf(req);
    if (!link.success) return message(reply, 400, 'Link not valid', REFUSED.forged);
    const { id, action, key, sig } = link.data;
    const approve = action === 'approve';
    return html(
      reply,
      200,
      page('review', approve ? 'Approve' : 'Hold', {
        heading: `${approve ? 'Approve' : 'Hold'} edition ${id}?`,
        explain: approve ? 'It goes to the list at its send time (at once, if that has passed).' : 'Nothing goes to the list until it is approved.',
        button: approve ? `Approve ${id}` : `Hold ${id}`,
        action: `/review/${id}/${action}?key=${key}&sig=${sig}`,
      }),
    );
  });
  app.post('/review/:id/:action', async (req, reply) => {
    const link = linkOf(req);
    if (!link.success) return message(reply, 400, 'Link not valid', REFUSED.forged);
    const result = await useReviewLink({ ...ctx, secretKey: ctx.secretKey }, link.data);
    if (!result.ok) return message(reply, result.reason === 'forged' ? 400 : 409, 'Link not valid', REFUSED[result.reason]);
    const { edition } = result;
    return edition.state === 'approved'
      ? message(reply, 200, 'Approved', `Edition ${edition.id} ("${edition.subject}") is approved: it goes to the list at its send time.`)
      : message(reply, 200, 'Held', `Edition ${edition.id} is held: nothing goes to the list until it is approved.`);
  });
}
