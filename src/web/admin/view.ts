/** How a desk page answers: the site's layout with the desk's navigation and the session's CSRF token for its forms. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SiteKit } from '../kit.js';
import type { PageName } from '../pages.js';

export type DeskView = (req: FastifyRequest, reply: FastifyReply, name: PageName, title: string, data?: Record<string, unknown>, status?: number) => FastifyReply;

export function deskView({ page, html }: SiteKit): DeskView {
  return (req, reply, name, title, data = {}, status = 200) =>
    // No caching of a page with a CSRF token and the list's addresses on it.
    html(reply.header('cache-control', 'no-store'), status, page(name, title, { ...data, desk: true, csrf: req.deskSession?.csrf }));
}

/** ISO time to "2026-11-21 14:05 UTC", for tables. */
export const shortTime = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '');
