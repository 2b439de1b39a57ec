import type { ConsentSource, Store, SubscriberRow } from '../db/index.js';
import { parseEmail } from './address.js';

export class SubscriberError extends Error {
  override name = 'SubscriberError';
}

export function createSubscriberService(store: Store, clock: () => Date) {
  return {
    /** The publisher adds someone who consented elsewhere: confirmed at once, source recorded. */
    add(input: string, source: ConsentSource = 'cli'): SubscriberRow {
      const email = parseEmail(input);
      const existing = store.findSubscriber(email);
      if (existing?.status === 'confirmed') return existing;
      if (existing) {
        store.setSubscriberStatus(existing.id, 'confirmed', clock());
        return store.findSubscriber(email)!;
      }
      return store.addSubscriber(email, 'confirmed', source, clock());
    },
    remove(input: string): SubscriberRow {
      const email = parseEmail(input);
      const existing = store.findSubscriber(email);
      if (!existing) throw new SubscriberError(`${email} is not on the list: see \`marketwrap subscribers list\``);
      store.setSubscriberStatus(existing.id, 'unsubscribed', clock());
      return store.findSubscriber(email)!;
    },
    list: () => store.listSubscribers(),
    recipients: () => store.confirmedSubscribers(),
  };
}

export type SubscriberService = ReturnType<typeof createSubscriberService>;
