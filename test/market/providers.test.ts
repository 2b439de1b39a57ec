import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seriesMetrics } from '../../src/analysis/returns.js';
import type { Instrument } from '../../src/config/newsletter.js';
import { createHttpClient, ProviderError, retryAfterMs } from '../../src/market/http.js';
import { alphaVantageProvider } from '../../src/market/providers/alphavantage.js';
import { fredProvider } from '../../src/market/providers/fred.js';
import { yahooProvider } from '../../src/market/providers/yahoo.js';
import { readReferenceCsv } from '../helpers/reference-data.js';
import { startProviderServer, type ProviderServer } from '../helpers/provider-server.js';

let server: ProviderServer;
beforeEach(async () => {
  server = await startProviderServer();
});
afterEach(async () => server.close());

const week = [
  { date: '2022-11-14', close: 3957.25 },
  { date: '2022-11-15', close: 3991.73 },
  { date: '2022-11-16', close: null },
  { date: '2022-11-17', close: 3946.56 },
  { date: '2022-11-18', close: 3965.34 },
];
const fast = { timeoutMs: 300, baseDelayMs: 5, maxDelayMs: 50 };

describe('Yahoo chart v8', () => {
  const yahoo = () => yahooProvider({ baseURL: server.url, ...fast });

  it('maps session-open timestamps to New York dates, skips null closes, sends a browser User-Agent', async () => {
    server.data.set('^GSPC', week);
    const points = await yahoo()('^GSPC', '2022-11-14', '2022-11-18');
    expect(points).toEqual([
      { date: '2022-11-14', close: 3957.25 },
      { date: '2022-11-15', close: 3991.73 },
      { date: '2022-11-17', close: 3946.56 },
      { date: '2022-11-18', close: 3965.34 },
    ]);
    expect(server.lastUserAgent).toMatch(/^Mozilla\/5\.0/);
  });

  it('returns nothing for a range without data (no timestamp key)', async () => {
    server.data.set('^GSPC', week);
    expect(await yahoo()('^GSPC', '2021-01-04', '2021-01-08')).toEqual([]);
  });

  it('names an unknown symbol (HTTP 404 with a JSON error)', async () => {
    await expect(yahoo()('^NOPE', '2022-11-14', '2022-11-18')).rejects.toThrow('yahoo ^NOPE: unknown symbol (HTTP 404): check the ticker in the config');
  });

  it('retries a plain-text 429 and reports it when it persists', async () => {
    server.data.set('^GSPC', week);
    server.faults.set('^GSPC', { kind: 'rate-limit' });
    const error = await yahoo()('^GSPC', '2022-11-14', '2022-11-18').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe('yahoo ^GSPC: HTTP 429 (rate limited) after 4 attempts');
    expect(server.requests.filter((r) => r === 'yahoo ^GSPC')).toHaveLength(4);
  });

  it('rejects malformed JSON with provider and symbol', async () => {
    server.faults.set('^GSPC', { kind: 'malformed' });
    await expect(yahoo()('^GSPC', '2022-11-14', '2022-11-18')).rejects.toThrow(/^yahoo \^GSPC: response is not JSON/);
  });

  it('times out a server that hangs, after retrying', async () => {
    server.faults.set('^GSPC', { kind: 'hang' });
    await expect(yahooProvider({ baseURL: server.url, ...fast, retries: 1 })('^GSPC', '2022-11-14', '2022-11-18')).rejects.toThrow(
      'yahoo ^GSPC: timed out after 300 ms after 2 attempts',
    );
  });

  it('succeeds after a server fails twice', async () => {
    server.data.set('^GSPC', week);
    server.faults.set('^GSPC', { kind: 'fail', times: 2, status: 503 });
    expect(await yahoo()('^GSPC', '2022-11-14', '2022-11-18')).toHaveLength(4);
    expect(server.requests).toEqual(['yahoo ^GSPC', 'yahoo ^GSPC', 'yahoo ^GSPC']);
  });

  it('names the field of a schema failure', async () => {
    server.data.set('^GSPC', [{ date: '2022-11-14', close: 'x' as unknown as number }]);
    await expect(yahoo()('^GSPC', '2022-11-14', '2022-11-18')).rejects.toThrow(/yahoo \^GSPC: unexpected response: field chart\.result\.0\.indicators\.quote\.0\.close\.0/);
  });
});

describe('FRED', () => {
  const fred = () => fredProvider({ baseURL: `${server.url}/fred`, apiKey: 'k', ...fast });

  it('asks for JSON, parses string values and skips "."', async () => {
    server.data.set('DGS10', [
      { date: '2022-11-10', close: 3.82 },
      { date: '2022-11-11', close: null },
      { date: '2022-11-14', close: 3.87 },
    ]);
    expect(await fred()('DGS10', '2022-11-01', '2022-11-18')).toEqual([
      { date: '2022-11-10', close: 3.82 },
      { date: '2022-11-14', close: 3.87 },
    ]);
  });

  it("returns nothing for an empty range, reports a bad key with FRED's message", async () => {
    server.data.set('DGS10', [{ date: '2022-11-10', close: 3.82 }]);
    expect(await fred()('DGS10', '2023-01-01', '2023-01-31')).toEqual([]);
    server.faults.set('DGS2', { kind: 'fred-bad-key' });
    await expect(fred()('DGS2', '2022-11-01', '2022-11-18')).rejects.toThrow(/fred DGS2: HTTP 400: Bad Request\.\s+The value for variable api_key is not registered/);
  });

  it('handles rate limits, malformed bodies, hangs and transient failures', async () => {
    server.data.set('DGS10', [{ date: '2022-11-10', close: 3.82 }]);
    server.faults.set('DGS10', { kind: 'fail', times: 2, status: 500 });
    expect(await fred()('DGS10', '2022-11-01', '2022-11-18')).toHaveLength(1);
    server.faults.set('DGS10', { kind: 'rate-limit' });
    await expect(fredProvider({ baseURL: `${server.url}/fred`, apiKey: 'k', ...fast, retries: 0 })('DGS10', '2022-11-01', '2022-11-18')).rejects.toThrow(
      'fred DGS10: HTTP 429 (rate limited) after 1 attempts',
    );
    server.faults.set('DGS10', { kind: 'malformed' });
    await expect(fred()('DGS10', '2022-11-01', '2022-11-18')).rejects.toThrow(/fred DGS10: response is not JSON/);
    server.faults.set('DGS10', { kind: 'hang' });
    await expect(fredProvider({ baseURL: `${server.url}/fred`, apiKey: 'k', ...fast, retries: 0 })('DGS10', '2022-11-01', '2022-11-18')).rejects.toThrow(/timed out/);
  });
});

describe('Alpha Vantage', () => {
  const av = () => alphaVantageProvider({ baseURL: server.url, apiKey: 'k', ...fast, minIntervalMs: 0 });

  it('reads TIME_SERIES_DAILY closes in date order', async () => {
    server.data.set('XLF', [
      { date: '2022-11-17', close: 35.1 },
      { date: '2022-11-18', close: 35.4 },
    ]);
    expect(await av()('XLF', '2022-11-01', '2022-11-18')).toEqual([
      { date: '2022-11-17', close: 35.1 },
      { date: '2022-11-18', close: 35.4 },
    ]);
    expect(await av()('XLF', '2023-01-01', '2023-01-31')).toEqual([]);
  });

  it('treats Note and Information bodies (HTTP 200) as rate limits, not empty series', async () => {
    server.faults.set('XLF', { kind: 'av-note' });
    await expect(av()('XLF', '2022-11-01', '2022-11-18')).rejects.toThrow(/alphavantage XLF: rate limited: Thank you for using Alpha Vantage/);
    server.faults.set('XLF', { kind: 'av-information' });
    await expect(av()('XLF', '2022-11-01', '2022-11-18')).rejects.toThrow(/alphavantage XLF: rate limited: We have detected your API key/);
  });

  it('reports unknown symbols, malformed bodies, hangs and recovers from transient failures', async () => {
    await expect(av()('NOPE', '2022-11-01', '2022-11-18')).rejects.toThrow(/alphavantage NOPE: Invalid API call/);
    server.faults.set('XLF', { kind: 'malformed' });
    await expect(av()('XLF', '2022-11-01', '2022-11-18')).rejects.toThrow(/not JSON/);
    server.faults.set('XLF', { kind: 'hang' });
    await expect(alphaVantageProvider({ baseURL: server.url, apiKey: 'k', ...fast, retries: 0, minIntervalMs: 0 })('XLF', '2022-11-01', '2022-11-18')).rejects.toThrow(/timed out/);
    server.faults.set('XLF', { kind: 'fail', times: 2, status: 502 });
    server.data.set('XLF', [{ date: '2022-11-18', close: 35.4 }]);
    expect(await av()('XLF', '2022-11-01', '2022-11-18')).toHaveLength(1);
  });
});

describe('http client', () => {
  it('refuses a response past the size bound at once, without retrying it', async () => {
    server.faults.set('^GSPC', { kind: 'huge', bytes: 17 * 1024 * 1024 });
    const before = process.memoryUsage().rss;
    const error = await yahooProvider({ baseURL: server.url, ...fast, timeoutMs: 20_000 })('^GSPC', '2022-11-14', '2022-11-18').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe('yahoo ^GSPC: the response ran past 16 MB, far more than a price history: not read');
    expect(server.requests.filter((r) => r === 'yahoo ^GSPC')).toHaveLength(1);
    // Read up to the bound, then dropped: nowhere near the hundreds of MB an unbounded body cost.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    server.faults.set('DGS10', { kind: 'huge', bytes: 3 * 1024 * 1024 });
    const http = createHttpClient({ provider: 'fred', baseURL: `${server.url}/fred`, ...fast, maxBytes: 1024 * 1024 });
    await expect(http.get('/series/observations', { series_id: 'DGS10', file_type: 'json' }, 'DGS10')).rejects.toThrow(/ran past 1 MB/);
  });

  it('honours Retry-After in seconds and as a date', async () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    const waits: number[] = [];
    server.data.set('^GSPC', week);
    server.faults.set('^GSPC', { kind: 'fail', times: 1, status: 429, retryAfter: '2' });
    const client = createHttpClient({ provider: 'yahoo', baseURL: server.url, timeoutMs: 500, sleep: async (ms) => void waits.push(ms) });
    const response = await client.get('/v8/finance/chart/%5EGSPC', { period1: 0, period2: 2e9 }, '^GSPC');
    expect(response.status).toBe(200);
    expect(waits).toEqual([2000]);
  });

  it('backs off exponentially with jitter', async () => {
    const waits: number[] = [];
    server.faults.set('X', { kind: 'fail', times: 9, status: 500 });
    const client = createHttpClient({
      provider: 'p',
      baseURL: server.url,
      timeoutMs: 500,
      retries: 3,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(client.get('/v8/finance/chart/X', {}, 'X')).rejects.toThrow('p X: HTTP 500 after 4 attempts');
    expect(waits).toEqual([50, 100, 200]);
  });
});

describe('returns from live-format responses of the reference data', () => {
  it('match ../shared/market-data/README.md', async () => {
    for (const [file, symbol] of [
      ['GSPC.csv', '^GSPC'],
      ['RUT.csv', '^RUT'],
    ] as const) {
      server.data.set(
        symbol,
        readReferenceCsv(file).filter((r) => r.date >= '2021-11-01'),
      );
    }
    const yahoo = yahooProvider({ baseURL: server.url, ...fast });
    const instrument = (symbol: string): Instrument => ({ symbol, name: symbol, shortName: symbol, kind: 'index', group: 'g', required: true });
    const got: Record<string, number[]> = {};
    for (const symbol of ['^GSPC', '^RUT']) {
      const points = await yahoo(symbol, '2021-11-01', '2022-11-18');
      const m = seriesMetrics(instrument(symbol), { source: 'yahoo', points }, '2022-11-18', ['1W', '1M', 'YTD']);
      got[symbol] = (['1W', '1M', 'YTD'] as const).map((w) => Number(m.windows[w]!.change.toFixed(2)));
    }
    expect(got).toEqual({ '^GSPC': [-0.69, 6.6, -16.8], '^RUT': [-1.75, 5.34, -17.62] });
  });
});
