/**
 * What a bounce or complaint reported after the send does to a subscriber: a pure decision. A complaint
 * unsubscribes at once (as "complained") and suppresses the address; a hard bounce counts toward
 * `hardBounceLimit`, and at the limit the subscriber is "bounced" and suppressed; a soft bounce counts
 * only when `softBouncesCount` says so.
 */
import { z } from 'zod';

export const feedbackKindSchema = z.enum(['hard-bounce', 'soft-bounce', 'complaint']);
export type FeedbackKind = z.infer<typeof feedbackKindSchema>;

/** One report about one recipient, as a relay or a mailbox gives it. */
export const feedbackSchema = z.object({
  kind: feedbackKindSchema,
  email: z.string().min(3).max(320),
  /** The Message-ID of the message it is about, when the report carries it. */
  messageId: z.string().max(998).optional(),
  source: z.enum(['ses', 'postmark', 'imap']),
  detail: z.string().max(1000).default(''),
});
export type Feedback = z.infer<typeof feedbackSchema>;

export type FeedbackAction = { status: 'complained' | 'bounced'; suppress: true; countBounce: boolean } | { status: undefined; suppress: false; countBounce: boolean };

export function feedbackAction(kind: FeedbackKind, hardBounces: number, policy: { hardBounceLimit: number; softBouncesCount: boolean }): FeedbackAction {
  if (kind === 'complaint') return { status: 'complained', suppress: true, countBounce: false };
  const counts = kind === 'hard-bounce' || policy.softBouncesCount;
  if (counts && hardBounces + 1 >= policy.hardBounceLimit) return { status: 'bounced', suppress: true, countBounce: true };
  return { status: undefined, suppress: false, countBounce: counts };
}
