/**
 * The structure of an MJML source file, checked before Handlebars or MJML see it: every `<mj-*>` tag
 * known to MJML, every one closed, in order. MJML's own parser is lenient: `<mj-bogus>` in place of
 * `</mj-text>` merged the header into one bold block, and a missing `</mj-column>` compiled, so each
 * file (the layout and each partial) is checked on its own and an error names its file and line.
 * Only MJML's tags are followed; the HTML inside `<mj-text>` and the CSS inside `<mj-style>` are not.
 */
import { TemplateError } from '../templating/handlebars.js';

/** MJML 5's components (mjml-core's registry) and the head's child tags that are not components. */
const KNOWN = new Set([
  'mjml',
  ...['mj-head', 'mj-attributes', 'mj-all', 'mj-class', 'mj-breakpoint', 'mj-font', 'mj-html-attributes', 'mj-html-attribute', 'mj-selector', 'mj-preview', 'mj-style', 'mj-title'],
  ...['mj-body', 'mj-section', 'mj-column', 'mj-group', 'mj-wrapper', 'mj-hero', 'mj-text', 'mj-button', 'mj-image', 'mj-divider', 'mj-spacer', 'mj-table', 'mj-raw', 'mj-include'],
  ...['mj-social', 'mj-social-element', 'mj-navbar', 'mj-navbar-link', 'mj-accordion', 'mj-accordion-element', 'mj-accordion-text', 'mj-accordion-title'],
  ...['mj-carousel', 'mj-carousel-image'],
]);

/** Tags whose content is raw HTML or CSS, where a `<mj-` would be text, not a tag. */
const RAW_CONTENT = new Set(['mj-style', 'mj-raw']);

const TAG = /<(\/?)(mjml|mj-[a-z-]+)\b[^>]*?(\/?)>/g;

/** Handlebars comments blanked, newlines kept, so the lines still match the file's. */
export const withoutComments = (source: string) => source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (c) => c.replace(/[^\n]/g, ' '));

const lineAt = (source: string, index: number) => source.slice(0, index).split('\n').length;

export function checkMjmlStructure(file: string, source: string): void {
  const text = withoutComments(source);
  const open: Array<{ name: string; line: number }> = [];
  for (const match of text.matchAll(TAG)) {
    const [, closing, name, selfClosing] = match as unknown as [string, string, string, string];
    const line = lineAt(text, match.index);
    const inside = open.at(-1);
    if (inside && RAW_CONTENT.has(inside.name) && !(closing && name === inside.name)) continue;
    if (!KNOWN.has(name)) throw new TemplateError(file, line, `<${closing}${name}> is not an MJML tag`);
    if (selfClosing) continue;
    if (!closing) {
      open.push({ name, line });
      continue;
    }
    if (!inside) throw new TemplateError(file, line, `</${name}> closes nothing: no <${name}> is open here`);
    if (inside.name !== name) throw new TemplateError(file, line, `</${name}> found where </${inside.name}> (opened on line ${inside.line}) should close first`);
    open.pop();
  }
  const unclosed = open.at(-1);
  if (unclosed) throw new TemplateError(file, unclosed.line, `<${unclosed.name}> is never closed`);
}
