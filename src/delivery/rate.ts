/**
 * Exact rate limiting: token buckets that count sends (a token is taken right before a message is
 * handed to SMTP), one per second and one per hour; a rate of 0 means no limit. The buckets' state is
 * kept where every sender can reach it (the database's shared state): any number of sender processes,
 * on one machine or several, stay within one rate together.
 */
import { setTimeout as setTimeoutPromise } from 'node:timers/promises';

export interface RateLimit {
  /** Resolves when a message may go; rejects with an AbortError if `signal` stops the send first. */
  take(signal?: AbortSignal): Promise<void>;
}

export interface BucketSpec {
  /** Tokens a millisecond. */
  rate: number;
  capacity: number;
}

interface BucketState {
  tokens: number;
  at: number;
}

/** Where the buckets live: a read-modify-write under a lock (Ledger.updateShared, or memory for one process). */
export type SharedState = <T>(name: string, update: (state: string | undefined) => { state: string; result: T }) => Promise<T>;

/**
 * The buckets refilled to `now`, and how many of `wanted` tokens all of them can give (the smallest
 * grant); when none, how long until one can. Pure: the state comes in and goes out.
 */
export function grantTokens(specs: readonly BucketSpec[], state: readonly BucketState[] | undefined, wanted: number, now: number) {
  const buckets = specs.map((spec, i) => {
    const previous = state?.[i] ?? { tokens: spec.capacity, at: now };
    return { ...spec, tokens: Math.min(spec.capacity, previous.tokens + Math.max(0, now - previous.at) * spec.rate) };
  });
  const granted = Math.max(0, Math.min(wanted, ...buckets.map((b) => Math.floor(b.tokens))));
  const waitMs = granted > 0 ? 0 : Math.max(...buckets.map((b) => (b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) / b.rate))));
  return { granted, waitMs, state: buckets.map((b) => ({ tokens: b.tokens - granted, at: now })) };
}

/** A shared state in this process's memory: for a sender alone, and for tests. */
export function memoryState(): SharedState {
  const states = new Map<string, string>();
  return async (name, update) => {
    const next = update(states.get(name));
    states.set(name, next.state);
    return next.result;
  };
}

/**
 * The per-second and per-hour buckets named `name` in `shared`. Tokens are fetched a few at a time
 * (a twentieth of a second's worth, at most 50) and spent locally, so a fast send asks the database
 * about twenty times a second, not once a message; unspent tokens only ever lower the rate.
 */
export function tokenBucket(
  perSecond: number,
  perHour: number,
  shared: SharedState = memoryState(),
  name = 'delivery',
  now: () => number = Date.now,
  sleep: (ms: number, signal?: AbortSignal) => Promise<unknown> = (ms, signal) => setTimeoutPromise(ms, undefined, { signal }),
): RateLimit {
  const specs: BucketSpec[] = [
    { rate: perSecond / 1000, capacity: Math.max(1, perSecond) },
    { rate: perHour / 3_600_000, capacity: Math.max(1, perHour) },
  ].filter((b) => b.rate > 0);
  const chunk = Math.max(1, Math.min(50, Math.floor(Math.min(...specs.map((s) => s.capacity)) / 20)));
  let held = 0;
  let queue = Promise.resolve();
  const takeOne = async (signal: AbortSignal | undefined) => {
    while (held === 0) {
      signal?.throwIfAborted();
      const { granted, waitMs } = await shared(`rate:${name}`, (raw) => {
        const result = grantTokens(specs, raw === undefined ? undefined : (JSON.parse(raw) as BucketState[]), chunk, now());
        return { state: JSON.stringify(result.state), result };
      });
      held = granted;
      if (granted === 0) await sleep(waitMs, signal);
    }
    held--;
  };
  return {
    take(signal) {
      if (specs.length === 0) return Promise.resolve();
      // One waiter at a time, in order: tokens go to sends first come, first served. A failed take
      // (the database away) fails that send only, not every one queued behind it.
      const mine = queue.then(() => takeOne(signal));
      queue = mine.catch(() => undefined);
      return mine;
    },
  };
}
