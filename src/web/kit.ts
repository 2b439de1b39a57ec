/** What every page-serving plugin shares: the context, page rendering and the answers all pages give. */
import type { FastifyReply } from 'fastify';
import type { Context } from '../shared/context.js';
import { nextEditionText } from './next-edition.js';
import { createPages, type Pages } from './pages.js';

export interface SiteKit {
  ctx: Context;
  page: Pages;
  html: (reply: FastifyReply, status: number, body: string) => FastifyReply;
  message: (reply: FastifyReply, status: number, heading: string, text: string, link?: { href: string; text: string }) => FastifyReply;
  badLink: (reply: FastifyReply) => FastifyReply;
  /** "The next edition goes out …" from the configured schedule and the context's clock; undefined when none is due. */
  nextEdition: (now: Date) => string | undefined;
}

export function createSiteKit(ctx: Context): SiteKit {
  const page = createPages(ctx.templatesDir, ctx.config);
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const message: SiteKit['message'] = (reply, status, heading, text, link) =>
    html(reply, status, page('message', heading, { heading, message: text, link, role: status >= 400 ? 'alert' : 'status' }));
  const badLink = (reply: FastifyReply) =>
    message(reply, 400, 'Link not valid', 'This link is incomplete. Use the link from the email as it came.', { href: '/', text: 'Go to the subscribe page' });
  return { ctx, page, html, message, badLink, nextEdition: nextEditionText(ctx.config) };
}
