/** Loads an MJML layout and its partials into a Handlebars instance (HTML-escaping, strict). */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Handlebars from 'handlebars';
import { createHandlebars, handlebarsErrorLine, handlebarsErrorMessage, TemplateError } from '../templating/handlebars.js';
import { checkMjmlStructure } from './mjml-structure.js';
import { markPartial } from './mjml.js';

export interface Layout {
  file: string;
  template: Handlebars.TemplateDelegate;
}

/** The file's MJML structure, then its Handlebars: each error names this file and its line. */
function parseOrThrow(hb: typeof Handlebars, file: string, source: string): void {
  checkMjmlStructure(file, source);
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
    // Marked, so MJML's own errors inside it name the partial's file and line, not the layout's.
    hb.registerPartial(basename(entry, '.mjml'), markPartial(file, source));
  }
  const file = join(templatesDir, name);
  const source = readFileSync(file, 'utf8');
  parseOrThrow(hb, file, source);
  return { file, template: hb.compile(source, { strict: true }) };
}
