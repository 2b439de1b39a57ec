/**
 * Bounce and complaint reports as the relays send them, read into Feedback: Postmark's webhook JSON and
 * Amazon SES notifications (the Message inside an SNS envelope). Unknown record types give nothing.
 *
 * The proof each offers that it answers a message of ours: SES keeps our Message-ID (mail.commonHeaders,
 * mail.headers) and our envelope sender (mail.source, the VERP address); its mail.messageId is SES's own.
 * Postmark's MessageID is Postmark's own and its return path is Postmark's, so the proof is in the bounce
 * itself: the webhook's Content (the raw bounce, "Include bounce content" in Postmark's settings).
 */
import { z } from 'zod';
import { looksLikeReturnPath } from '../delivery/proof.js';
import { type Feedback, type FeedbackKind, parseFeedback } from './policy.js';

const postmarkSchema = z.object({
  RecordType: z.string().max(100),
  ID: z.union([z.number(), z.string().max(100)]).optional(),
  Type: z.string().max(100).optional(),
  Email: z.string(),
  Details: z.string().optional(),
  Description: z.string().optional(),
  Content: z.string().optional(),
});

/** Postmark bounce types that mean the address is gone, and those that mean "not now". */
const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const POSTMARK_SOFT = new Set(['SoftBounce', 'Transient', 'DnsError', 'MailboxFull' /* older accounts */]);

/** Message-IDs and VERP addresses named in a raw bounce (the first few: a forged list of thousands proves no more). */
export function proofIn(raw: string): string[] {
  const ids = [...raw.matchAll(/^(?:X-Original-)?Message-ID:[ \t]*(<[^<>\s]{1,300}>)/gim)].map((m) => m[1]!);
  const paths = [...raw.matchAll(/[^\s<>@:;"]{1,64}\+[A-Za-z0-9-]{1,40}\.\d{1,15}\.[0-9a-fA-F]{24}@[A-Za-z0-9.-]{1,253}/g)].map((m) => m[0]).filter(looksLikeReturnPath);
  return [...new Set([...ids, ...paths])].slice(0, 8);
}

export function postmarkFeedback(body: unknown): Feedback[] {
  const parsed = postmarkSchema.safeParse(body);
  if (!parsed.success) return [];
  const { RecordType, ID, Type = '', Email, Details, Description, Content } = parsed.data;
  const kind: FeedbackKind | undefined =
    RecordType === 'SpamComplaint'
      ? 'complaint'
      : RecordType === 'Bounce' && POSTMARK_HARD.has(Type)
        ? 'hard-bounce'
        : RecordType === 'Bounce' && POSTMARK_SOFT.has(Type)
          ? 'soft-bounce'
          : undefined;
  if (!kind) return [];
  const proof = Content ? proofIn(Content) : [];
  const reportId = ID === undefined ? undefined : `${RecordType}:${ID}`;
  return parseFeedback([{ kind, email: Email, proof, reportId, source: 'postmark', detail: `${RecordType} ${Type}: ${Description ?? Details ?? ''}`.trim() }]);
}

const recipients = z.array(z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() }));
const sesSchema = z.object({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional(), bouncedRecipients: recipients }).optional(),
  complaint: z.object({ complainedRecipients: recipients, complaintFeedbackType: z.string().optional() }).optional(),
  mail: z
    .object({
      source: z.string().optional(),
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      commonHeaders: z.object({ messageId: z.string().optional() }).optional(),
    })
    .optional(),
});

/** An SES notification (or configuration-set event): one Feedback per recipient it names; `reportId` is the SNS MessageId. */
export function sesFeedback(message: unknown, reportId?: string): Feedback[] {
  const parsed = sesSchema.safeParse(message);
  if (!parsed.success) return [];
  const n = parsed.data;
  const type = n.notificationType ?? n.eventType;
  const headerId = n.mail?.headers?.find((h) => h.name.toLowerCase() === 'message-id')?.value;
  const messageId = n.mail?.commonHeaders?.messageId ?? headerId;
  const proof = [messageId, headerId, n.mail?.source].filter((p): p is string => p !== undefined);
  const common = { messageId, proof, reportId, source: 'ses' as const };
  if (type === 'Bounce' && n.bounce) {
    // Permanent is a hard bounce; Transient and Undetermined are soft.
    const kind: FeedbackKind = n.bounce.bounceType === 'Permanent' ? 'hard-bounce' : 'soft-bounce';
    const detail = (diagnostic = '') => `${n.bounce!.bounceType}/${n.bounce!.bounceSubType ?? ''}: ${diagnostic}`;
    return parseFeedback(n.bounce.bouncedRecipients.map((r) => ({ ...common, kind, email: r.emailAddress, detail: detail(r.diagnosticCode) })));
  }
  if (type === 'Complaint' && n.complaint) {
    const detail = `complaint: ${n.complaint.complaintFeedbackType ?? 'unspecified'}`;
    return parseFeedback(n.complaint.complainedRecipients.map((r) => ({ ...common, kind: 'complaint', email: r.emailAddress, detail })));
  }
  return [];
}
