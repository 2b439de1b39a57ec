/**
 * SMTP_URL, read once for every path that sends mail (nodemailer for single emails, the bulk client
 * for the list), so both speak to the server the same way.
 *   smtps://user:pass@host:465          implicit TLS
 *   smtp://user:pass@host:587           STARTTLS when the server offers it
 *   ?starttls=require | never           refuse to send in the clear, or never upgrade
 *   ?verify=false                       accept a certificate that does not verify (a relay on a private network)
 */
import { z } from 'zod';
import { smtpUrlOptionsSchema } from '../../config/env.js';

export const smtpSettingsSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  implicitTls: z.boolean(),
  starttls: z.enum(['auto', 'require', 'never']),
  verifyCertificate: z.boolean(),
  auth: z.strictObject({ user: z.string().min(1), pass: z.string() }).optional(),
});
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

/** The settings of an SMTP_URL the environment's schema has already checked (its options included). */
export function smtpSettings(url: string): SmtpSettings {
  const parsed = new URL(url);
  const options = smtpUrlOptionsSchema.parse(Object.fromEntries(parsed.searchParams));
  const implicitTls = parsed.protocol === 'smtps:';
  return smtpSettingsSchema.parse({
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : implicitTls ? 465 : 587,
    implicitTls,
    starttls: implicitTls ? 'never' : options.starttls,
    verifyCertificate: options.verify === 'true',
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
  });
}
