/**
 * Exact rate limiting: token buckets that count sends (a token is taken right before a message is
 * handed to SMTP), one per second and one per hour. A rate of 0 means no limit.
 */
import { setTimeout as setTimeoutPromise } from 'node:timers/promises';
export interface RateLimit {
  take(): Promise<void>;
}

export function tokenBucket(perSecond: number, perHour: number, now: () => number = Date.now, sleep: (ms: number) => Promise<unknown> = setTimeoutPromise): RateLimit {
  const buckets = [
    { rate: perSecond / 1000, capacity: Math.max(1, perSecond) },
    { rate: perHour / 3_600_000, capacity: Math.max(1, perHour) },
  ]
    .filter((b) => b.rate > 0)
    .map((b) => ({ ...b, tokens: b.capacity, at: now() }));
  let queue = Promise.resolve();
  const takeOne = async () => {
    for (;;) {
      const t = now();
      let wait = 0;
      for (const b of buckets) {
        b.tokens = Math.min(b.capacity, b.tokens + (t - b.at) * b.rate);
        b.at = t;
        if (b.tokens < 1) wait = Math.max(wait, (1 - b.tokens) / b.rate);
      }
      if (wait === 0) {
        for (const b of buckets) b.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(wait));
    }
  };
  return {
    take() {
      if (buckets.length === 0) return Promise.resolve();
      // One waiter at a time, in order: tokens go to sends first come, first served.
      queue = queue.then(takeOne);
      return queue;
    },
  };
}
