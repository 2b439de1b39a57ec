/**
 * What an edition's send was agreed on, frozen with the edition when it is queued: the sender, the
 * list id, the Message-ID domain, which key signs the links, and whether demo data may go over SMTP.
 * Every sender (digest, serve, `worker`, on any machine) sends the edition under these terms or not at
 * all: a worker on another SECRET_KEY would mail unsubscribe links that fail, one on an older config
 * another From.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../shared/context.js';
import { fail } from '../shared/errors.js';
import { domainOf, type Sender } from './mime.js';
import { isLoopbackHost, termsMismatch } from './policy.js';

export const sendTermsSchema = z.object({
  sender: z.object({ name: z.string().min(1), email: z.string().min(3) }),
  listId: z.string().min(1),
  messageIdDomain: z.string().min(1),
  /** Which key signs the links: a fingerprint, so the key itself never leaves the process. */
  keyFingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  /** The links' base: a worker on another PUBLIC_URL would point readers elsewhere. */
  publicUrl: z.string().min(1),
  /** The footer's postal address, as built into the edition (a placeholder is refused on a real send). */
  postalAddress: z.string().min(1),
  /** Demo data may go out over SMTP (the publisher said --allow-demo-data when it was queued). */
  demoOverSmtp: z.boolean(),
});
export type SendTerms = z.infer<typeof sendTermsSchema>;

/** Names the key without revealing it: an HMAC of a fixed label, cut to 64 bits. */
export function keyFingerprint(secretKey: string): string {
  return createHmac('sha256', secretKey).update('marketwrap-key-fingerprint').digest('hex').slice(0, 16);
}

/** The list's id, from the newsletter's title and the sender's domain: `the-weekly-wrap.example.com`. */
export function listIdFor(title: string, senderEmail: string): string {
  const listName = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${listName}.${domainOf(senderEmail)}`;
}

type TermsContext = Pick<Context, 'sender' | 'secretKey' | 'config' | 'env'>;

/** Is SMTP_URL a server on this machine (127.0.0.1, ::1, localhost)? */
export const smtpOnLoopback = (smtpUrl: string | undefined) => smtpUrl !== undefined && isLoopbackHost(new URL(smtpUrl).hostname);

/** The terms this process would send under (demo over SMTP only when the caller allows it). */
export function currentTerms(ctx: TermsContext, demoOverSmtp: boolean): SendTerms {
  const sender: Sender = { name: ctx.sender.name, email: ctx.sender.email };
  return {
    sender,
    listId: listIdFor(ctx.config.title, sender.email),
    messageIdDomain: domainOf(sender.email),
    keyFingerprint: keyFingerprint(ctx.secretKey),
    publicUrl: ctx.env.PUBLIC_URL,
    postalAddress: ctx.config.postalAddress,
    demoOverSmtp,
  };
}

export interface FrozenEdition {
  id: string;
  demo: boolean;
  listId: string;
  terms?: SendTerms | undefined;
}

/**
 * The one check every sender makes before an edition's first message: this process agrees with the
 * terms frozen with the edition. The terms it sends under, or the failure SEND_REFUSED with one line (exit 3).
 * Editions queued before terms were frozen are held to this process's settings, demo refused over SMTP.
 */
export function checkSendable(ctx: TermsContext, edition: FrozenEdition, options: { allowDemoData?: boolean } = {}): SendTerms {
  const here = currentTerms(ctx, false);
  const frozen = edition.terms ?? { ...here, listId: edition.listId };
  const { SMTP_URL } = ctx.env;
  const situation = { id: edition.id, demo: edition.demo, overSmtp: Boolean(SMTP_URL), smtpLoopback: smtpOnLoopback(SMTP_URL), allowDemoData: options.allowDemoData === true };
  const reason = termsMismatch(frozen, here, situation);
  if (reason) throw fail('SEND_REFUSED', { reason });
  return frozen;
}
