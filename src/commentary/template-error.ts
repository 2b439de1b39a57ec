/** A template or frames file that cannot be used, with the file and line to fix (its own module: frames.ts and templates.ts both raise it). */
import { InputError, messageOf } from '../errors.js';

export class TemplateError extends InputError {
  override name = 'TemplateError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
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
