/**
 * Feedback recorded and acted on, one report in one transaction: the evidence rows, then what the policy
 * decides. Anyone can write a report naming any address, so a report acts only when it proves it answers
 * a message we sent (a Message-ID or VERP return path carrying our HMAC, matched to a delivery row), and
 * only on the one subscriber that proof names, at most once however many recipients it lists. A report
 * that proves nothing is kept and counted, never acted on; and past the circuit breaker's share of the
 * list in a rolling hour, even proven reports are only kept ("held") until someone looks.
 */
import type { Context } from '../shared/context.js';
import type { FeedbackTrust, StorePart, SubscriberRow } from '../db/index.js';
import { checkMessageId, checkReturnPath, messageIdEdition } from '../delivery/proof.js';
import { emailHash } from '../subscribers/index.js';
import { type Feedback, type FeedbackAction, feedbackAction } from './policy.js';

type Policy = { hardBounceLimit: number; softBouncesCount: boolean };
export type Breaker = { maxShare: number; minCount: number; maxCount: number };

/** What feedback asks of the store: the proof's delivery rows, the evidence, the breaker's counts, the action. */
export type FeedbackStore = StorePart<
  | 'delivery'
  | 'deliveryByMessageId'
  | 'subscriberById'
  | 'addFeedbackEvent'
  | 'feedbackCounts'
  | 'confirmedCount'
  | 'countHardBounce'
  | 'setSubscriberStatus'
  | 'suppress'
  | 'transaction'
>;

export interface FeedbackDeps {
  store: FeedbackStore;
  secret: string;
  policy: Policy;
  breaker: Breaker;
}

export const feedbackDeps = (ctx: Pick<Context, 'store' | 'secretKey' | 'config'>): FeedbackDeps => ({
  store: ctx.store,
  secret: ctx.secretKey,
  policy: ctx.config.delivery,
  breaker: ctx.config.feedback.breaker,
});

/** What one run (a mailbox read, a webhook request) did with its reports. */
export interface FeedbackTally {
  /** Reports recorded as evidence (one per recipient a report names). */
  recorded: number;
  /** Subscribers set bounced or complained. */
  acted: number;
  /** Reports that proved nothing: kept, not acted on. */
  untrusted: number;
  /** Proven reports the circuit breaker kept without acting on. */
  held: number;
  /** Relay reports seen before (a replay): not recorded again. */
  replays: number;
  /** The circuit breaker stopped acting during this run. */
  tripped: boolean;
}

export const emptyTally = (): FeedbackTally => ({ recorded: 0, acted: 0, untrusted: 0, held: 0, replays: 0, tripped: false });

const HOUR = 60 * 60_000;

/** How many subscribers reports may bounce or suppress in a rolling hour. */
export function breakerLimit(breaker: Breaker, listSize: number): number {
  return Math.min(breaker.maxCount, Math.max(breaker.minCount, Math.floor(breaker.maxShare * listSize)));
}

/** The breaker as /healthz shows it: the last hour's actions against the limit, and what it held in the last day. */
export async function breakerState(store: Pick<FeedbackStore, 'feedbackCounts' | 'confirmedCount'>, breaker: Breaker, now: Date) {
  const [hour, day, listSize] = await Promise.all([
    store.feedbackCounts(new Date(now.getTime() - HOUR)),
    store.feedbackCounts(new Date(now.getTime() - 24 * HOUR)),
    store.confirmedCount(),
  ]);
  return { tripped: day.held > 0, actedLastHour: hour.acted, limit: breakerLimit(breaker, listSize), heldLastDay: day.held, untrustedLastDay: day.untrusted };
}

async function breakerAllows(store: FeedbackStore, breaker: Breaker, now: Date): Promise<boolean> {
  const { acted } = await store.feedbackCounts(new Date(now.getTime() - HOUR));
  return acted + 1 <= breakerLimit(breaker, await store.confirmedCount());
}

/** The one delivery a report's proof names: the first offered Message-ID or return path that carries our MAC. */
async function provenDelivery(store: FeedbackStore, secret: string, items: readonly Feedback[]): Promise<{ editionId: string; subscriberId: number } | undefined> {
  for (const offered of new Set(items.flatMap((f) => f.proof))) {
    const verp = checkReturnPath(secret, offered);
    if (verp) {
      if (await store.delivery(verp.editionId, verp.subscriberId)) return verp;
      continue;
    }
    if (!messageIdEdition(offered)) continue;
    const delivery = await store.deliveryByMessageId(offered.trim());
    if (delivery && checkMessageId(secret, offered, delivery.edition_id, delivery.subscriber_id)) return { editionId: delivery.edition_id, subscriberId: delivery.subscriber_id };
  }
  return undefined;
}

/** What a proven report does to its subscriber, unless the breaker says it would be one too many. */
async function decide(
  deps: FeedbackDeps,
  tx: FeedbackStore,
  f: Feedback,
  subscriber: SubscriberRow,
  now: Date,
  tally: FeedbackTally,
): Promise<{ trust: FeedbackTrust; action?: FeedbackAction }> {
  const action = feedbackAction(f.kind, subscriber.hard_bounces, deps.policy);
  // Already bounced or complained: nothing changes, nothing to count against the breaker.
  if (action.status === undefined || action.status === subscriber.status) return { trust: 'proven', action: { ...action, status: undefined, suppress: false } };
  if (tally.tripped || !(await breakerAllows(tx, deps.breaker, now))) {
    tally.tripped = true;
    return { trust: 'held' };
  }
  return { trust: 'proven', action };
}

/** Recipients kept from one report: we send one recipient a message, so a report naming 2,000 is not evidence of 2,000. */
export const MAX_RECIPIENTS_PER_REPORT = 20;

/** Records one report (the first recipients it names) and acts on it when it proves which message it answers. */
export function recordReport(deps: FeedbackDeps, items: readonly Feedback[], now: Date, tally: FeedbackTally): Promise<void> {
  return deps.store.transaction(async (tx) => {
    const proof = await provenDelivery(tx, deps.secret, items);
    const subscriber = proof ? await tx.subscriberById(proof.subscriberId) : undefined;
    let pending = subscriber;
    for (const f of items.slice(0, MAX_RECIPIENTS_PER_REPORT)) {
      const decision = pending ? await decide(deps, tx, f, pending, now, tally) : { trust: subscriber ? ('proven' as const) : ('untrusted' as const) };
      const event = {
        subscriberId: subscriber?.id ?? null,
        emailHash: emailHash(f.email.trim().toLowerCase()),
        editionId: proof?.editionId ?? null,
        kind: f.kind,
        source: f.source,
        messageId: f.messageId ?? null,
        detail: f.detail,
        trust: decision.trust,
        action: decision.action?.status ?? null,
        reportId: f.reportId ?? null,
      };
      if (!(await tx.addFeedbackEvent(event, now))) {
        tally.replays++;
        continue;
      }
      tally.recorded++;
      if (decision.trust === 'untrusted') tally.untrusted++;
      if (decision.trust === 'held') tally.held++;
      if (!pending || !decision.action) continue;
      await apply(tx, pending, decision.action, now);
      if (decision.action.status) tally.acted++;
      // One report acts on its one subscriber once, however many recipient blocks it lists.
      pending = undefined;
    }
  });
}

async function apply(store: FeedbackStore, subscriber: SubscriberRow, action: FeedbackAction, now: Date): Promise<void> {
  if (action.countBounce) await store.countHardBounce(subscriber.id);
  if (action.status) {
    await store.setSubscriberStatus(subscriber.id, action.status, now);
    await store.suppress(emailHash(subscriber.email), action.status, now);
  }
}

/** Several reports (a mailbox run, a webhook request), each on its own. */
export async function recordReports(deps: FeedbackDeps, reports: ReadonlyArray<readonly Feedback[]>, now: Date, tally = emptyTally()): Promise<FeedbackTally> {
  for (const report of reports) await recordReport(deps, report, now, tally);
  return tally;
}
