import { handlebarsErrorLine, TemplateError } from '../templating/handlebars.js';
import type { Chart } from './charts.js';
import { compileMjml } from './mjml.js';
import type { Layout } from './layout.js';
import { renderText } from './text.js';
import type { EditionView } from './view.js';
import { RECIPIENT_TOKENS } from './personalize.js';
import { messageOf } from '../shared/errors.js';

/** Gmail clips a message body beyond 102 KB and hides the rest behind "View entire message". */
export const GMAIL_CLIP_BYTES = 102_400;

export interface RenderedEdition {
  subject: string;
  preheader: string;
  /** PNGs embedded by Content-ID (chart-refs.ts), also saved beside the edition for the web version. */
  charts: Chart[];
  /** With recipient tokens ({{unsubscribeUrl}}, {{email}}) still in place. */
  html: string;
  text: string;
}

async function compileView(view: EditionView, layout: Layout): Promise<string> {
  let mjml: string;
  try {
    mjml = layout.template(view);
  } catch (error) {
    throw new TemplateError(layout.file, handlebarsErrorLine(error), messageOf(error));
  }
  return compileMjml(mjml, layout.file);
}

/** What `/editions/<id>` serves and the archive keeps for readers: no recipient footer, no link to itself. */
export async function renderWebVersion(view: EditionView, layout: Layout): Promise<{ html: string; text: string }> {
  const web = { ...view, web: true };
  return { html: await compileView(web, layout), text: renderText(web) };
}

export async function renderEdition(view: EditionView, layout: Layout, charts: Chart[] = []): Promise<RenderedEdition> {
  const html = await compileView(view, layout);
  for (const token of Object.values(RECIPIENT_TOKENS)) {
    if (!html.includes(token)) throw new TemplateError(layout.file, undefined, `the layout must contain ${token} (written \\${token} so it survives the first pass)`);
  }
  const size = Buffer.byteLength(html);
  if (size > GMAIL_CLIP_BYTES) {
    throw new TemplateError(
      layout.file,
      undefined,
      `the rendered digest is ${size} bytes, over Gmail's ${GMAIL_CLIP_BYTES}-byte clip: trim instruments from tableGroups or lower maxSections`,
    );
  }
  return { subject: view.subject, preheader: view.preheader, html, text: renderText(view), charts };
}
