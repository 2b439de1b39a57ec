/** What an SMTP error means for the recipient and for the send: the failure classes, by stage. */
import { SmtpError } from './smtp/connection.js';

export type Failure = 'temporary' | 'permanent' | 'ambiguous' | 'server';

/** A 5xx at DATA that names the recipient (RFC 3463: 5.1.x addressing, 5.2.x mailbox) counts against them. */
const RECIPIENT_STATUS = /^5\d\d[ -]5\.[12]\.\d+/;

/**
 * SMTP outcome classes. 4xx is temporary. A 5xx counts against the recipient only at RCPT TO, or at
 * DATA with a recipient status; a 5xx to the greeting, EHLO, AUTH or MAIL FROM is the server refusing
 * the session ('server': stop, keep the rows queued), as do a certificate or credentials it refuses. A
 * connection lost before the end of DATA went out is temporary; after it, ambiguous.
 */
export function classify(error: unknown): { failure: Failure; reply: string } {
  // Anything but the SMTP client's error (nodemailer's are translated where they arise) may have sent: ambiguous.
  if (!(error instanceof SmtpError)) return { failure: 'ambiguous', reply: String(error instanceof Error ? error.message : error).slice(0, 500) };
  const e = error;
  const reply = (e.response ?? e.message).slice(0, 500);
  if (typeof e.responseCode === 'number') {
    if (e.responseCode < 500) return { failure: 'temporary', reply };
    if (e.command === 'RCPT TO' || (e.command === 'DATA' && RECIPIENT_STATUS.test(e.response ?? ''))) return { failure: 'permanent', reply };
    return { failure: 'server', reply };
  }
  // A certificate or credentials the server will not take: no message can go until someone fixes SMTP_URL.
  if (e.code === 'ETLS' || e.code === 'EAUTH') return { failure: 'server', reply };
  // Never connected, or lost before the end of DATA was written: nothing was accepted, so trying again is safe.
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTSENT') return { failure: 'temporary', reply };
  // Lost or timed out after the end of DATA was written: the message may have been accepted.
  return { failure: 'ambiguous', reply };
}
