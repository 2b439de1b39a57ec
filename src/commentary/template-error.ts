/** A template or frames file that cannot be used, with the file and line to fix (its own module: frames.ts and templates.ts both raise it). */
import { InputError } from '../errors.js';

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
