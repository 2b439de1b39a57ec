/** Loads an MJML layout and its partials into a Handlebars instance (HTML-escaping, strict). */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Handlebars from 'handlebars';
import { createHandlebars, handlebarsErrorLine, handlebarsErrorMessage, TemplateError } from '../commentary/index.js';

export interface Layout {
  file: string;
  template: Handlebars.TemplateDelegate;
}

function parseOrThrow(hb: typeof Handlebars, file: string, source: string): void {
  try {
    hb.parse(source);
  } catch (error) {
    throw new TemplateError(file, handlebarsErrorLine(error), handlebarsErrorMessage(error));
  }
}

export function loadLayout(templatesDir: string, name: string): Layout {
  const hb = createHandlebars();
  const partialsDir = join(templatesDir, 'partials');
  for (const entry of readdirSync(partialsDir)) {
    if (!entry.endsWith('.mjml')) continue;
    const file = join(partialsDir, entry);
    const source = readFileSync(file, 'utf8');
    parseOrThrow(hb, file, source);
    hb.registerPartial(basename(entry, '.mjml'), source);
  }
  const file = join(templatesDir, name);
  const source = readFileSync(file, 'utf8');
  parseOrThrow(hb, file, source);
  return { file, template: hb.compile(source, { strict: true }) };
}
