/** One recipient's message: the edition's parts with the recipient's bytes filled in, and list headers. */
import { createHash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { personalizer, type RenderedEdition } from '../render/index.js';

export interface Sender {
  name: string;
  email: string;
}

export interface Recipient {
  email: string;
  /** Absent for ad-hoc test sends (--to), which are not on the list and have no ledger row. */
  subscriberId?: number;
  unsubscribeUrl: string;
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** Deterministic per (edition, recipient): a resend is recognisably the same message. */
export function messageIdFor(editionId: string, email: string, domain: string): string {
  const hash = createHash('sha256').update(`${editionId}\n${email}`).digest('base64url').slice(0, 22);
  return `<${editionId}.${hash}@${domain}>`;
}

export interface MessageFactory {
  (recipient: Recipient): Mail.Options;
}

/** Prepares the per-recipient fill once per edition; each call only fills tokens and headers. */
export function messageFactory(edition: RenderedEdition & { id: string; listId: string }, from: Sender): MessageFactory {
  const html = personalizer(edition.html, 'html');
  const text = personalizer(edition.text, 'text');
  const domain = domainOf(from.email);
  return (recipient) => {
    const fields = { email: recipient.email, unsubscribeUrl: recipient.unsubscribeUrl };
    return {
      from: { name: from.name, address: from.email },
      to: recipient.email,
      subject: edition.subject,
      text: text(fields),
      html: html(fields),
      messageId: messageIdFor(edition.id, recipient.email, domain),
      list: { id: { url: edition.listId, comment: from.name } },
      headers: {
        // One header with both URIs (RFC 2369): Gmail and Yahoo read only the first List-Unsubscribe.
        'List-Unsubscribe': `<${recipient.unsubscribeUrl}>, <mailto:${from.email}?subject=unsubscribe>`,
        // RFC 8058: mail clients may POST "List-Unsubscribe=One-Click" to the https URL above.
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
  };
}
