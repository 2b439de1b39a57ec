/** Server-rendered pages from templates/site/*.hbs inside one layout; Handlebars escapes every value. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Newsletter } from '../config/newsletter.js';

export type PageName = 'home' | 'message' | 'unsubscribe' | 'confirm' | 'archive';

export function createPages(templatesDir: string, config: Pick<Newsletter, 'title' | 'tagline' | 'postalAddress'>) {
  const hb = Handlebars.create();
  const load = (name: string) => hb.compile(readFileSync(join(templatesDir, 'site', `${name}.hbs`), 'utf8'), { strict: false });
  const layout = load('layout');
  const pages = Object.fromEntries((['home', 'message', 'unsubscribe', 'confirm', 'archive'] as const).map((n) => [n, load(n)])) as Record<PageName, Handlebars.TemplateDelegate>;
  const site = { title: config.title, tagline: config.tagline, postalAddress: config.postalAddress };
  return (name: PageName, pageTitle: string, data: Record<string, unknown> = {}): string => layout({ ...site, pageTitle, body: pages[name]({ ...site, ...data }) });
}

export type Pages = ReturnType<typeof createPages>;
