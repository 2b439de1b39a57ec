import { z } from 'zod';
import { fail } from '../shared/errors.js';

/**
 * An email address as we accept it: trimmed, lower-cased (mailbox case is never significant in
 * practice, and one person must not be two subscribers), at most 254 characters (RFC 5321), and no
 * control characters, so it can never smuggle a header line.
 */
export const emailSchema = z
  .string()
  .trim()
  .max(254, 'is longer than 254 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'contains control characters')
  .pipe(z.email('is not a valid email address'))
  .transform((s) => s.toLowerCase());

export function parseEmail(input: string): string {
  const parsed = emailSchema.safeParse(input);
  if (!parsed.success) throw fail('ADDRESS_INVALID', { input: input.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 80), reason: parsed.error.issues[0]!.message });
  return parsed.data;
}
