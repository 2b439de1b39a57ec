/**
 * Bounce and complaint reports as the relays send them, read into Feedback: Postmark's webhook JSON and
 * Amazon SES notifications (the Message inside an SNS envelope). Unknown record types give nothing.
 */
import { z } from 'zod';
import type { Feedback, FeedbackKind } from './policy.js';

const postmarkSchema = z.object({
  RecordType: z.string(),
  Type: z.string().optional(),
  Email: z.string(),
  Details: z.string().optional(),
  Description: z.string().optional(),
});

/** Postmark bounce types that mean the address is gone, and those that mean "not now". */
const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const POSTMARK_SOFT = new Set(['SoftBounce', 'Transient', 'DnsError', 'MailboxFull' /* older accounts */]);

export function postmarkFeedback(body: unknown): Feedback[] {
  const parsed = postmarkSchema.safeParse(body);
  if (!parsed.success) return [];
  const { RecordType, Type = '', Email, Details, Description } = parsed.data;
  const kind: FeedbackKind | undefined =
    RecordType === 'SpamComplaint'
      ? 'complaint'
      : RecordType === 'Bounce' && POSTMARK_HARD.has(Type)
        ? 'hard-bounce'
        : RecordType === 'Bounce' && POSTMARK_SOFT.has(Type)
          ? 'soft-bounce'
          : undefined;
  return kind ? [{ kind, email: Email, source: 'postmark', detail: `${RecordType} ${Type}: ${Description ?? Details ?? ''}`.trim().slice(0, 1000) }] : [];
}

const recipients = z.array(z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() }));
const sesSchema = z.object({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional(), bouncedRecipients: recipients }).optional(),
  complaint: z.object({ complainedRecipients: recipients, complaintFeedbackType: z.string().optional() }).optional(),
  mail: z.object({ commonHeaders: z.object({ messageId: z.string().optional() }).optional() }).optional(),
});

/** An SES notification (or configuration-set event): one Feedback per recipient it names. */
export function sesFeedback(message: unknown): Feedback[] {
  const parsed = sesSchema.safeParse(message);
  if (!parsed.success) return [];
  const n = parsed.data;
  const type = n.notificationType ?? n.eventType;
  const messageId = n.mail?.commonHeaders?.messageId;
  if (type === 'Bounce' && n.bounce) {
    // Permanent is a hard bounce; Transient and Undetermined are soft.
    const kind: FeedbackKind = n.bounce.bounceType === 'Permanent' ? 'hard-bounce' : 'soft-bounce';
    return n.bounce.bouncedRecipients.map((r) => ({
      kind,
      email: r.emailAddress,
      messageId,
      source: 'ses',
      detail: `${n.bounce!.bounceType}/${n.bounce!.bounceSubType ?? ''}: ${r.diagnosticCode ?? ''}`.slice(0, 1000),
    }));
  }
  if (type === 'Complaint' && n.complaint) {
    return n.complaint.complainedRecipients.map((r) => ({
      kind: 'complaint',
      email: r.emailAddress,
      messageId,
      source: 'ses',
      detail: `complaint: ${n.complaint!.complaintFeedbackType ?? 'unspecified'}`,
    }));
  }
  return [];
}
