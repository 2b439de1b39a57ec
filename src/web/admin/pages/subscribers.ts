/**
 * The list: search by address (a prefix, read from the address index), one subscriber's history
 * (their deliveries and the reports about them), and the status changes the rules allow, each made by
 * the subscriber service that the CLI uses, so the desk can do nothing the rules forbid.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { SubscriberRow } from '../../../db/index.js';
import { messageOf, UserError } from '../../../shared/errors.js';
import type { SiteKit } from '../../kit.js';
import { deskView, shortTime } from '../view.js';

const SEARCH_LIMIT = 50;
const HISTORY_LIMIT = 100;
const searchQuery = z.object({ q: z.string().trim().max(320).default('') });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const statusBody = z.object({ action: z.enum(['confirm', 'unsubscribe', 'erase']) });
const ACTION_LABELS = { confirm: 'Confirm', unsubscribe: 'Unsubscribe', erase: 'Erase (GDPR)' } as const;

/** What the publisher may do to a subscriber in this status (see subscribers/service.ts). */
export function allowedActions(status: SubscriberRow['status']): Array<'confirm' | 'unsubscribe' | 'erase'> {
  // Unsubscribing is the reader's own decision, and a bounce or complaint suppresses the address: only erasure remains.
  if (status === 'pending') return ['confirm', 'unsubscribe', 'erase'];
  if (status === 'confirmed') return ['unsubscribe', 'erase'];
  return ['erase'];
}

export function subscriberPages(kit: SiteKit, listSummary: () => Promise<Record<string, unknown>>): FastifyPluginAsync {
  const view = deskView(kit);
  const { ctx, message } = kit;
  return async (app) => {
    app.get('/list', async (req, reply) => {
      const q = searchQuery.safeParse(req.query).data?.q ?? '';
      const found = q ? await ctx.store.searchSubscribers(q.toLowerCase(), SEARCH_LIMIT) : [];
      const results = found.map((s) => ({ ...s, joined: shortTime(s.created_at) }));
      return view(req, reply, 'desk-list', 'List', { q, results, searched: q !== '', more: found.length === SEARCH_LIMIT, ...(await listSummary()) });
    });

    app.get('/subscribers/:id', async (req, reply) => {
      const id = idParams.safeParse(req.params);
      const subscriber = id.success ? await ctx.store.subscriberById(id.data.id) : undefined;
      if (!subscriber) return message(reply, 404, 'Not found', 'There is no such subscriber (erased, perhaps).', { href: '/admin/list', text: 'Search the list' });
      const deliveries = (await ctx.store.deliveriesOf(subscriber.id, HISTORY_LIMIT)).map((d) => ({ ...d, updated: shortTime(d.updated_at) }));
      const reports = await ctx.store.feedbackEvents(subscriber.id);
      const times = { joined: shortTime(subscriber.created_at), changed: shortTime(subscriber.status_changed_at), confirmed: shortTime(subscriber.confirmed_at) };
      return view(req, reply, 'desk-subscriber', subscriber.email, {
        subscriber,
        times,
        deliveries,
        reports,
        actions: allowedActions(subscriber.status).map((action) => ({ action, label: ACTION_LABELS[action] })),
      });
    });

    app.post('/subscribers/:id/status', async (req, reply) => {
      const id = idParams.safeParse(req.params);
      const body = statusBody.safeParse(req.body);
      const subscriber = id.success ? await ctx.store.subscriberById(id.data.id) : undefined;
      if (!subscriber || !body.success) return message(reply, 400, 'Not done', 'That change was not understood.', { href: '/admin/list', text: 'Search the list' });
      const back = { href: `/admin/subscribers/${subscriber.id}`, text: 'Back to the subscriber' };
      if (!allowedActions(subscriber.status).includes(body.data.action))
        return message(reply, 409, 'Not allowed', `A subscriber who is ${subscriber.status} cannot be changed that way.`, back);
      try {
        if (body.data.action === 'confirm') await ctx.subscribers.add(subscriber.email, 'cli');
        if (body.data.action === 'unsubscribe') await ctx.subscribers.remove(subscriber.email);
        if (body.data.action === 'erase') {
          await ctx.subscribers.erase(subscriber.email);
          return message(reply, 200, 'Erased', 'The address is gone; a hash of it stays so it is never mailed again.', { href: '/admin/list', text: 'Back to the list' });
        }
      } catch (error) {
        if (error instanceof UserError) return message(reply, 409, 'Not allowed', messageOf(error), back);
        throw error;
      }
      return reply.redirect(`/admin/subscribers/${subscriber.id}`, 303);
    });
  };
}
