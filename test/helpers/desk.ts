/** Signing in to the desk (/admin) over fastify's inject, as a browser would: the form, the cookie, the CSRF token. */
import { prepareDraft } from '../../jobs/review.js';
import type { Context } from '../../src/shared/context.js';
import type { buildServer } from '../../src/web/server.js';

export const ADMIN_TOKEN = 'a'.repeat(32);
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
export type App = ReturnType<typeof buildServer>;

export const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';

export async function signIn(app: App, token = ADMIN_TOKEN) {
  const form = await app.inject({ url: '/admin/login' });
  const res = await app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: FORM,
    payload: new URLSearchParams({ form_token: field(form.body, 'form_token'), token }).toString(),
  });
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0]!;
  return { res, cookie };
}

/** A signed-in browser: GETs with the cookie, POSTs with the cookie and the page's CSRF token. */
export async function desk(app: App) {
  const { cookie } = await signIn(app);
  const page = await app.inject({ url: '/admin/import', headers: { cookie } });
  const csrf = field(page.body, 'csrf');
  return {
    cookie,
    csrf,
    get: (url: string) => app.inject({ url, headers: { cookie } }),
    post: (url: string, form: Record<string, string>) =>
      app.inject({ method: 'POST', url, headers: { ...FORM, cookie }, payload: new URLSearchParams({ csrf, ...form }).toString() }),
  };
}

/** Every page of the desk (subscriber 1 must exist). */
export const DESK_PAGES = ['/admin', '/admin/editions', '/admin/list', '/admin/list?q=a', '/admin/subscribers/1', '/admin/import', '/admin/feedback', '/admin/data'];

/** A draft as the scheduled build leaves one (desk-core's prepareDraft): built from demo data, checked, saved for review, the publisher mailed. */
export async function saveDraft(ctx: Context, sendAt = '2026-11-23T14:00:00.000Z'): Promise<string> {
  return (await prepareDraft(ctx, new Date(sendAt), { allowDemoData: true, data: 'demo' })).id;
}
