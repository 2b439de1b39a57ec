/** Server-rendered pages from templates/site/*.hbs inside one layout; Handlebars escapes every value. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Newsletter } from '../config/newsletter.js';

const PAGE_NAMES = ['home', 'message', 'unsubscribe', 'confirm', 'archive', 'about', 'privacy', 'edition-top', 'edition-bottom', 'review'] as const;
/** The desk's pages (/admin): the same layout, wider, with the desk's own navigation. */
const DESK_PAGE_NAMES = ['desk-login', 'desk-link', 'desk-next', 'desk-editions', 'desk-list', 'desk-subscriber', 'desk-import', 'desk-feedback', 'desk-data'] as const;
export type PageName = (typeof PAGE_NAMES)[number] | (typeof DESK_PAGE_NAMES)[number];

export function createPages(templatesDir: string, config: Pick<Newsletter, 'title' | 'tagline' | 'postalAddress' | 'sender'>) {
  const hb = Handlebars.create();
  const load = (name: string) => hb.compile(readFileSync(join(templatesDir, 'site', `${name}.hbs`), 'utf8'), { strict: false });
  // The form the home page and every edition page share.
  hb.registerPartial('subscribe', readFileSync(join(templatesDir, 'site', 'subscribe.hbs'), 'utf8'));
  const layout = load('layout');
  const pages = Object.fromEntries([...PAGE_NAMES, ...DESK_PAGE_NAMES].map((n) => [n, load(n)])) as Record<PageName, Handlebars.TemplateDelegate>;
  const site = { title: config.title, tagline: config.tagline, postalAddress: config.postalAddress, senderName: config.sender.name, senderEmail: config.sender.email };
  // A desk page (data.desk) gets the desk's navigation, and its sign-out form the session's CSRF token (data.csrf).
  const page = (name: PageName, pageTitle: string, data: Record<string, unknown> = {}): string =>
    layout({ ...site, pageTitle, desk: data.desk, csrf: data.csrf, body: pages[name]({ ...site, ...data }) });
  /** A template's own markup, without the layout (the edition page is the email's web version, with these added). */
  page.fragment = (name: PageName, data: Record<string, unknown> = {}): string => pages[name]({ ...site, ...data });
  return page;
}

export type Pages = ReturnType<typeof createPages>;
