/**
 * The edition archive: what was built, as files beside each other in DATA_DIR/editions. For readers:
 * <id>.html and <id>.txt (the web version, what `/editions/<id>` serves); for the sender: <id>.mail.html
 * and <id>.mail.txt (the email with its recipient tokens, {{email}} and {{unsubscribeUrl}}, still in
 * place); <id>.json and the chart PNGs, which both HTML files point at (so they show their charts
 * opened from disk; the email gets its Content-IDs back when it is read). A send that resumes reads the edition back from here, so
 * subscribers get the same words and numbers whoever sends; the JSON is checked by its schema on the
 * way back in.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Edition } from './build.js';
import { sendTermsSchema, type SendTerms } from '../delivery/terms.js';
import { fail, messageOf } from '../shared/errors.js';
// The module itself, not render/index.js: the sender reads editions back and must not load MJML.
import { chartFile, chartSrc, pointChartsAt, savedChartSrc } from '../render/chart-refs.js';

const savedChartSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  alt: z.string(),
  title: z.string(),
  file: z.string().regex(/^[\w.-]+\.png$/),
});

/** The part of the saved JSON that a resumed send relies on (the rest is for people and the studio). */
export const savedEditionSchema = z.object({
  id: z.string().min(1),
  asOf: z.iso.date(),
  subject: z.string().min(1),
  preheader: z.string(),
  /** Where the text copy takes the publisher's note (absent in editions saved before it was kept). */
  lede: z.string().optional(),
  listId: z.string().min(1),
  demo: z.boolean(),
  charts: z.array(savedChartSchema),
  /** What the send was agreed on when it was queued (absent in editions queued before they were frozen). */
  terms: sendTermsSchema.optional(),
});

/** The edition as senders need it, as one document in the database: a worker on another machine has no DATA_DIR of ours. */
const sendableSchema = savedEditionSchema.extend({
  html: z.string().min(1),
  text: z.string().min(1),
  charts: z.array(savedChartSchema.extend({ png: z.base64() })),
});

export type SavedEdition = ReturnType<typeof readSavedEdition>;

/** The edition's numbers and signals as JSON: what the email says, and why (and, once queued, its send terms). */
export function editionJson(edition: Edition, terms?: SendTerms): object {
  return {
    id: edition.id,
    asOf: edition.asOf,
    subject: edition.subject,
    headline: edition.commentary.headline,
    lede: edition.commentary.lede,
    preheader: edition.preheader,
    listId: edition.listId,
    demo: edition.snapshot.demo,
    source: edition.snapshot.source,
    sources: edition.snapshot.sources,
    issues: edition.snapshot.issues,
    notes: edition.snapshot.notes,
    // What the truth checks and the editor's lint found: why a list send of it was held.
    review: edition.review,
    fetchedAt: edition.snapshot.fetchedAt,
    metrics: Object.fromEntries(edition.analysis.metrics),
    signals: edition.analysis.signals,
    ranking: edition.commentary.ranking,
    sections: edition.commentary.sections,
    charts: edition.charts.map(({ name, width, height, alt, title }) => ({ name, width, height, alt, title, file: chartFile(edition.id, name) })),
    ...(terms ? { terms } : {}),
  };
}

export interface EditionFiles {
  /** The email as sent, with recipient tokens. */
  html: string;
  text: string;
  json: string;
  /** The reader's copy: the web version `/editions/<id>` serves, and its text. */
  webHtml: string;
  webText: string;
}

/** Writes every file of the edition; each appears whole (write, then rename) or not at all. */
export function writeEditionFiles(edition: Edition, dir: string, terms?: SendTerms): EditionFiles {
  mkdirSync(dir, { recursive: true });
  const files = editionFiles(resolve(dir), edition.id);
  // Opened from disk, both copies show the PNGs beside them (a cid: image shows as its alt text).
  const beside = (html: string) => pointChartsAt(html, (name) => savedChartSrc(edition.id, name));
  const contents: Record<keyof EditionFiles, string> = {
    html: beside(edition.html),
    text: edition.text,
    json: `${JSON.stringify(editionJson(edition, terms), null, 2)}\n`,
    webHtml: beside(edition.web.html),
    webText: edition.web.text,
  };
  for (const key of Object.keys(files) as Array<keyof EditionFiles>) {
    writeFileSync(`${files[key]}.tmp`, contents[key]);
  }
  for (const chart of edition.charts) writeFileSync(resolve(dir, chartFile(edition.id, chart.name)), chart.png);
  for (const key of Object.keys(files) as Array<keyof EditionFiles>) renameSync(`${files[key]}.tmp`, files[key]);
  return files;
}

export function editionFiles(dir: string, id: string): EditionFiles {
  const file = (suffix: string) => join(dir, `${id}${suffix}`);
  return { html: file('.mail.html'), text: file('.mail.txt'), json: file('.json'), webHtml: file('.html'), webText: file('.txt') };
}

/** Archives written before the reader's copies existed kept the email itself as <id>.html and <id>.txt. */
function sendableFiles(dir: string, id: string): Pick<EditionFiles, 'html' | 'text'> {
  const files = editionFiles(dir, id);
  return existsSync(files.html) ? files : { html: files.webHtml, text: files.webText };
}

/** The edition as it was first built and sent: a resumed send must carry the same words and numbers. */
export function readSavedEdition(dir: string, id: string) {
  const files = editionFiles(dir, id);
  if (!existsSync(files.json)) throw fail('SAVED_EDITION_MISSING', { id, dir });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(files.json, 'utf8'));
  } catch (error) {
    throw fail('SAVED_EDITION_NOT_JSON', { file: files.json, reason: messageOf(error) });
  }
  const parsed = savedEditionSchema.safeParse(json);
  if (!parsed.success) throw fail('SAVED_EDITION_INVALID', { file: files.json, problem: `${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}` });
  const saved = parsed.data;
  const charts = saved.charts.map((c) => ({ ...c, png: readFileSync(join(dir, c.file)) }));
  const sendable = sendableFiles(dir, id);
  // The saved email points at the PNGs beside it: the message carries them by Content-ID again.
  const html = pointChartsAt(readFileSync(sendable.html, 'utf8'), chartSrc);
  return { ...saved, html, text: readFileSync(sendable.text, 'utf8'), charts };
}

const ledeSchema = z.object({ lede: z.string().min(1) });

/** The lede saved with an edition (for the feed); undefined when the file is missing or has none. */
export function savedLede(dir: string, id: string): string | undefined {
  try {
    const parsed = ledeSchema.safeParse(JSON.parse(readFileSync(editionFiles(dir, id).json, 'utf8')));
    return parsed.success ? parsed.data.lede : undefined;
  } catch {
    return undefined;
  }
}

export function sendableJson(edition: Edition, terms: SendTerms): string {
  const saved = editionJson(edition, terms) as z.infer<typeof savedEditionSchema>;
  const charts = saved.charts.map((c, i) => ({ ...c, png: edition.charts[i]!.png.toString('base64') }));
  return JSON.stringify({ ...saved, html: edition.html, text: edition.text, charts });
}

/** The edition a worker sends, checked by its schema on the way out of the database. */
export function parseSendable(id: string, json: string): SavedEdition {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw fail('QUEUED_EDITION_NOT_JSON', { id, reason: messageOf(error) });
  }
  const parsed = sendableSchema.safeParse(value);
  if (!parsed.success) throw fail('QUEUED_EDITION_INVALID', { id, problem: `${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}` });
  return { ...parsed.data, charts: parsed.data.charts.map((c) => ({ ...c, png: Buffer.from(c.png, 'base64') })) };
}
