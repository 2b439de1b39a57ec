import mjml2html from 'mjml';
import { TemplateError } from '../templating/handlebars.js';
import { withoutComments } from './mjml-structure.js';

interface MjmlIssue {
  line: number;
  message: string;
}

const START = '<!--mw:partial ';
const END = '<!--/mw:partial-->';

/**
 * A partial's source between markers: MJML validates the filled layout as one text, and the markers
 * (comments, dropped from the output) say which lines of it came from which partial file.
 */
export function markPartial(file: string, source: string): string {
  // Its comments blanked, not removed (Handlebars drops a comment's lines): the partial keeps its line numbers.
  return `${START}${file}-->\n${withoutComments(source).replace(/\n$/, '')}\n${END}\n`;
}

/** Where line `line` of the filled layout came from: a partial's file and line, or the layout's (shifted past the partials before it). */
export function sourceOf(filled: string, line: number, layoutFile: string): { file: string; line: number } {
  const lines = filled.split('\n');
  const open: Array<{ file: string; start: number }> = [];
  let partialLines = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text.startsWith(START)) open.push({ file: text.slice(START.length, -3), start: i + 1 });
    else if (text === END) {
      const closed = open.pop();
      // A whole partial stood for its one {{> name}} line in the layout.
      if (closed && open.length === 0) partialLines += i + 1 - closed.start;
    }
  }
  const inside = open.at(-1);
  return inside ? { file: inside.file, line: line - inside.start } : { file: layoutFile, line: line - partialLines };
}

/**
 * MJML -> HTML with strict validation: an invalid layout is an error at build time, never a broken
 * email in an inbox. The error names the file (the layout or a partial) and its line.
 */
export async function compileMjml(source: string, file: string): Promise<string> {
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  } catch (error) {
    const issues = (error as { errors?: MjmlIssue[] }).errors;
    if (!issues?.length) throw error;
    const first = sourceOf(source, issues[0]!.line, file);
    const more =
      issues.length > 1
        ? ` (and ${issues.length - 1} more: ${issues
            .slice(1, 4)
            .map((e) => e.message)
            .join('; ')})`
        : '';
    // MJML's own validation failed: the first issue's file and line (a partial's, when it is in one).
    throw new TemplateError(first.file, first.line, `invalid MJML: ${issues[0]!.message}${more}`);
  }
  return result.html;
}
