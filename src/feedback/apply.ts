/** Feedback recorded and acted on, in one transaction: the evidence row, then what the policy decides. */
import type { Store, SubscriberStatus } from '../db/index.js';
import { emailHash } from '../subscribers/index.js';
import { type Feedback, feedbackAction } from './policy.js';

export interface FeedbackResult {
  email: string;
  kind: Feedback['kind'];
  /** The subscriber's status after it; undefined when the address is not on the list. */
  status: SubscriberStatus | undefined;
}

type Policy = { hardBounceLimit: number; softBouncesCount: boolean };

export function recordFeedback(store: Store, items: readonly Feedback[], policy: Policy, now: Date): Promise<FeedbackResult[]> {
  return store.transaction(async (tx) => {
    const results: FeedbackResult[] = [];
    for (const f of items) results.push(await recordOne(tx, f, policy, now));
    return results;
  });
}

async function recordOne(store: Store, f: Feedback, policy: Policy, now: Date): Promise<FeedbackResult> {
  const email = f.email.trim().toLowerCase();
  // The Message-ID names the very delivery (and edition); the address is the fallback.
  const delivery = f.messageId ? await store.deliveryByMessageId(f.messageId) : undefined;
  const subscriber = delivery ? await store.subscriberById(delivery.subscriber_id) : await store.findSubscriber(email);
  await store.addFeedbackEvent(
    {
      subscriberId: subscriber?.id ?? null,
      emailHash: emailHash(email),
      editionId: delivery?.edition_id ?? null,
      kind: f.kind,
      source: f.source,
      messageId: f.messageId ?? null,
      detail: f.detail,
    },
    now,
  );
  if (!subscriber) return { email, kind: f.kind, status: undefined };
  const action = feedbackAction(f.kind, subscriber.hard_bounces, policy);
  if (action.countBounce) await store.countHardBounce(subscriber.id);
  if (action.status) {
    await store.setSubscriberStatus(subscriber.id, action.status, now);
    await store.suppress(emailHash(subscriber.email), action.status, now);
  }
  return { email, kind: f.kind, status: action.status ?? subscriber.status };
}
