/**
 * What a bounce or complaint reported after the send does to a subscriber: a pure decision. A complaint
 * unsubscribes at once (as "complained") and suppresses the address; a hard bounce counts toward
 * `hardBounceLimit`, and at the limit the subscriber is "bounced" and suppressed; a soft bounce counts
 * only when `softBouncesCount` says so.
 */
import { z } from 'zod';

export const feedbackKindSchema = z.enum(['hard-bounce', 'soft-bounce', 'complaint']);
export type FeedbackKind = z.infer<typeof feedbackKindSchema>;

/** A header line holds at most 998 characters (RFC 5322): anything longer is not one of ours, so it proves nothing. */
const HEADER_MAX = 998;
const cut = (max: number) => z.string().transform((s) => s.slice(0, max));

/**
 * One report about one recipient, as a relay or a mailbox gives it. Every report passes this before it
 * is stored or acted on: a stranger's 2 MB Message-ID is cut to a header line, never stored whole.
 */
export const feedbackSchema = z.object({
  kind: feedbackKindSchema,
  email: z.string().min(3).max(320),
  /** The Message-ID of the message it is about, when the report carries it (evidence; cut to a header line). */
  messageId: cut(HEADER_MAX).optional(),
  /** What the report offers as proof that it answers a message of ours: Message-IDs and return paths. */
  proof: z
    .array(z.string())
    .default([])
    .transform((all) => all.filter((p) => p.length > 0 && p.length <= HEADER_MAX).slice(0, 8)),
  /** The relay's own id of the report (SNS MessageId, Postmark's record): the same report is counted once. */
  reportId: z.string().max(300).optional(),
  source: z.enum(['ses', 'postmark', 'imap']),
  detail: cut(1000).default(''),
});
export type Feedback = z.infer<typeof feedbackSchema>;
export type FeedbackInput = z.input<typeof feedbackSchema>;

/** The reports that are well formed, as the schema reads them; a malformed one is dropped, never half-read. */
export function parseFeedback(items: readonly unknown[]): Feedback[] {
  return items.flatMap((item) => {
    const parsed = feedbackSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

export type FeedbackAction = { status: 'complained' | 'bounced'; suppress: true; countBounce: boolean } | { status: undefined; suppress: false; countBounce: boolean };

export function feedbackAction(kind: FeedbackKind, hardBounces: number, policy: { hardBounceLimit: number; softBouncesCount: boolean }): FeedbackAction {
  if (kind === 'complaint') return { status: 'complained', suppress: true, countBounce: false };
  const counts = kind === 'hard-bounce' || policy.softBouncesCount;
  if (counts && hardBounces + 1 >= policy.hardBounceLimit) return { status: 'bounced', suppress: true, countBounce: true };
  return { status: undefined, suppress: false, countBounce: counts };
}
