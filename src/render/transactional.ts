/** Confirmation and welcome emails: an MJML template in templates/emails/, HTML plus a text part. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHandlebars } from '../templating/handlebars.js';
import { compileMjml } from './mjml.js';
import { checkMjmlStructure } from './mjml-structure.js';

export type TransactionalName = 'confirm' | 'welcome';

export interface TransactionalEmail {
  subject: string;
  html: string;
  text: string;
}

const SUBJECTS: Record<TransactionalName, (title: string) => string> = {
  confirm: (title) => `Confirm your subscription to ${title}`,
  welcome: (title) => `Welcome to ${title}`,
};

const TEXTS: Record<TransactionalName, (d: Record<string, string>) => string> = {
  confirm: (d) =>
    `Someone, hopefully you, asked to receive ${d['title']} at ${d['email']}.\n\nConfirm your subscription:\n${d['confirmUrl']}\n\nThe link works for ${d['days']} days. If you did not ask for this, ignore this email.\n\n${d['postalAddress']}\n`,
  welcome: (d) =>
    `You are subscribed to ${d['title']} at ${d['email']}. ${d['tagline']}\n\nArchive: ${d['archiveUrl']}\nUnsubscribe: ${d['unsubscribeUrl']}\n\n${d['postalAddress']}\n`,
};

export async function renderTransactional(templatesDir: string, name: TransactionalName, data: Record<string, string>): Promise<TransactionalEmail> {
  const file = join(templatesDir, 'emails', `${name}.mjml`);
  const source = readFileSync(file, 'utf8');
  checkMjmlStructure(file, source);
  const template = createHandlebars().compile(source, { strict: true });
  return { subject: SUBJECTS[name](data['title']!), html: await compileMjml(template(data), file), text: TEXTS[name](data) };
}
