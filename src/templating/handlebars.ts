/**
 * Handlebars for every stage that fills templates (the commentary's frames, the email layout, the
 * transactional emails), and the one way a template that cannot be used is reported: its file, its
 * line and what to fix (TEMPLATE_INVALID in the catalogue). It sits below the stages so that none
 * takes its templating from another.
 */
import Handlebars from 'handlebars';
import { Failure, messageOf } from '../shared/errors.js';

/** A Handlebars instance of the caller's own, with no helpers: layouts only place values the view has formatted. */
export function createHandlebars(): typeof Handlebars {
  return Handlebars.create();
}

/** A template or frames file that cannot be used, with the file and line to fix. */
export class TemplateError extends Failure<'TEMPLATE_INVALID'> {
  override name = 'TemplateError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    problem: string,
  ) {
    super('TEMPLATE_INVALID', { file, at: line ? `:${line}` : '', problem });
  }
}

/** The line a Handlebars error points at: parse errors carry lineNumber; runtime ones end in " - line:col". */
export function handlebarsErrorLine(error: unknown): number | undefined {
  const e = error as { lineNumber?: number; message?: string };
  if (typeof e.lineNumber === 'number') return e.lineNumber;
  const at = / - (\d+):\d+$/.exec(e.message ?? '') ?? /line (\d+)/.exec(e.message ?? '');
  return at ? Number(at[1]) : undefined;
}

/**
 * What a Handlebars error says, on one line: its first line ("Parse error on line 7:") keeps what is
 * wrong ("Expecting 'ID', got 'CLOSE'") and the text near it, which follow on lines of their own.
 */
export function handlebarsErrorMessage(error: unknown): string {
  const lines = (messageOf(error) ?? String(error))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length <= 1) return lines[0] ?? '';
  const near = lines.find((l, i) => i > 0 && !/^-*\^$/.test(l) && !/^Expecting /.test(l));
  const what = lines.find((l) => /^Expecting /.test(l)) ?? lines.at(-1)!;
  return `${lines[0]} ${what}${near ? ` (near "${near}")` : ''}`;
}
