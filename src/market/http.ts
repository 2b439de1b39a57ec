/**
 * The one way providers reach the network: axios with a timeout, retries with exponential backoff and
 * full jitter on network errors, 5xx and 429 (honouring Retry-After), a concurrency limit and pacing
 * per provider. Everything else (4xx, bad bodies) is the provider's to interpret.
 */
import { setTimeout as setTimeoutPromise } from 'node:timers/promises';
import axios, { type AxiosResponse } from 'axios';

export interface HttpOptions {
  provider: string;
  baseURL: string;
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  concurrency?: number;
  /** Minimum time between two request starts (pacing for rate-limited APIs). */
  minIntervalMs?: number;
  headers?: Record<string, string>;
  /** The largest response body read (decompressed); a longer one is refused, not retried. */
  maxBytes?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * A provider's refusal or silence for one symbol. Not a catalogue code: it never reaches a user as it
 * is; the market step tries the next source and turns what failed into a note (or, when no provider
 * answers, MARKET_DATA_UNREACHABLE).
 */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly provider: string,
    readonly symbol: string,
    message: string,
    /** Reachable but refusing (no key, rate limit, unknown symbol) vs unreachable. */
    readonly unreachable = false,
  ) {
    super(`${provider} ${symbol}: ${message}`);
  }
}

export interface HttpClient {
  get(path: string, params: Record<string, string | number>, symbol: string): Promise<AxiosResponse<string>>;
}

/**
 * A full daily history (the S&P 500 since 1927, about 25,000 sessions in Yahoo's format) is a few MB:
 * 16 MB leaves room, and a provider (or anyone in its place) cannot make a run hold hundreds of MB.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const defaultSleep: (ms: number) => Promise<unknown> = setTimeoutPromise;

/** Seconds or an HTTP date, as RFC 9110 allows. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Why a request failed, to retry; a body past the bound throws (another try would bring the same). */
function requestProblem(error: unknown, where: { provider: string; symbol: string; maxBytes: number; timeoutMs: number }): string {
  const e = error as { code?: string; message: string };
  if (/^maxContentLength/.test(e.message))
    throw new ProviderError(where.provider, where.symbol, `the response ran past ${Math.round(where.maxBytes / 1024 / 1024)} MB, far more than a price history: not read`);
  return e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' ? `timed out after ${where.timeoutMs} ms` : `network error: ${e.code ?? e.message}`;
}

export function createHttpClient(options: HttpOptions): HttpClient {
  const { provider, retries = 3, baseDelayMs = 500, maxDelayMs = 20_000, concurrency = 4, minIntervalMs = 0, maxBytes = MAX_RESPONSE_BYTES } = options;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const instance = axios.create({
    baseURL: options.baseURL.replace(/\/$/, ''),
    timeout: options.timeoutMs,
    // Bodies are parsed by each provider's zod schema, never guessed at by axios.
    responseType: 'text',
    transformResponse: [(data) => data],
    validateStatus: () => true,
    headers: options.headers,
    maxContentLength: maxBytes,
    // Only GETs go out: no request body is ever this big.
    maxBodyLength: 64 * 1024,
  });

  let active = 0;
  const waiting: Array<() => void> = [];
  let nextStart = 0;
  async function slot(): Promise<void> {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    const now = Date.now();
    const start = Math.max(now, nextStart);
    nextStart = start + minIntervalMs;
    if (start > now) await sleep(start - now);
  }
  function release(): void {
    active--;
    waiting.shift()?.();
  }

  // Circuit breaker: after this many failed attempts in a row (any symbols), the provider counts as
  // unreachable and the rest fail at once instead of each waiting out its backoff (the network is down).
  let failuresInARow = 0;
  let lastFailure = '';
  const OPEN_AFTER = Math.max(2 * (retries + 1), concurrency * 2);

  const breakerOpen = (symbol: string) =>
    new ProviderError(provider, symbol, `unreachable (${failuresInARow} attempts in a row failed, the last with ${lastFailure}), not tried`, true);

  return {
    async get(path, params, symbol) {
      let lastProblem = '';
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (failuresInARow >= OPEN_AFTER) throw breakerOpen(symbol);
        await slot();
        let response: AxiosResponse<string> | undefined;
        try {
          if (failuresInARow >= OPEN_AFTER) throw breakerOpen(symbol);
          response = await instance.get<string>(path, { params });
        } catch (error) {
          if (error instanceof ProviderError) throw error;
          lastProblem = requestProblem(error, { provider, symbol, maxBytes, timeoutMs: options.timeoutMs });
        } finally {
          release();
        }
        let wait: number | undefined;
        if (response) {
          if (response.status < 500 && response.status !== 429) {
            failuresInARow = 0;
            return response;
          }
          lastProblem = `HTTP ${response.status}${response.status === 429 ? ' (rate limited)' : ''}`;
          wait = retryAfterMs(response.headers['retry-after'] as string | undefined);
        }
        failuresInARow++;
        lastFailure = lastProblem;
        if (attempt === retries) break;
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt) * random();
        await sleep(Math.min(maxDelayMs, wait ?? backoff));
      }
      throw new ProviderError(provider, symbol, `${lastProblem} after ${retries + 1} attempts`, true);
    },
  };
}
