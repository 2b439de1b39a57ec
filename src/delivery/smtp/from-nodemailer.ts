/**
 * Nodemailer's errors (the single emails: confirmations, test sends) as our SMTP client's, so the send
 * classifies one kind of error. Nodemailer's codes name where it failed; ENOTSENT is ours for "the
 * message cannot have been accepted", which nodemailer's socket and lookup failures before DATA mean.
 */
import { SmtpError, type SmtpErrorCode } from './connection.js';

const CODES: Record<string, SmtpErrorCode> = {
  ESOCKET: 'ENOTSENT',
  EDNS: 'ENOTSENT',
  ECONNREFUSED: 'ENOTSENT',
  ECONNECTION: 'ECONNECTION',
  ETIMEDOUT: 'ETIMEDOUT',
  ETLS: 'ETLS',
  EAUTH: 'EAUTH',
};

export function smtpErrorFromNodemailer(error: unknown): SmtpError {
  if (error instanceof SmtpError) return error;
  const e = (error ?? {}) as { code?: string; command?: string; responseCode?: number; response?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? 'EPROTOCOL' : (CODES[e.code ?? ''] ?? 'ECONNECTION');
  return new SmtpError(e.response ?? e.message ?? String(error), code, e.command ?? 'CONN', e.responseCode, e.response);
}
