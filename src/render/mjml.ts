import mjml2html from 'mjml';
import { InputError } from '../errors.js';

export class MjmlError extends InputError {
  override name = 'MjmlError';
}

interface MjmlIssue {
  line: number;
  message: string;
}

/**
 * MJML -> HTML with strict validation: an invalid layout is an error at build time, never a broken
 * email in an inbox. Lines are those of the Handlebars output, which follow the layout's lines.
 */
export async function compileMjml(source: string, file: string): Promise<string> {
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  } catch (error) {
    const issues = (error as { errors?: MjmlIssue[] }).errors;
    if (!issues) throw error;
    throw new MjmlError(`${file}: invalid MJML: ${issues.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  }
  return result.html;
}
