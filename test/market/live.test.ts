import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { isFailure } from '../../src/shared/errors.js';
import { buildEdition } from '../../src/edition/build.js';
import { formatChange } from '../../src/shared/format.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { demoSeries } from '../../src/market/providers/demo.js';
import { join } from 'node:path';
import { tempDir, testContext, testDatabaseEnv } from '../helpers/context.js';
import { runCliAsync } from '../helpers/cli.js';
import { startProviderServer, type Close, type ProviderServer } from '../helpers/provider-server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let server: ProviderServer;
let sink: SmtpSink | undefined;
beforeEach(async () => {
  server = await startProviderServer();
});
afterEach(async () => {
  await server.close();
  await sink?.close();
  sink = undefined;
});

const config = parseNewsletter({});
/** Every default instrument, served in each provider's format: Yahoo by ticker, FRED by series id. */
function serveAll(scenario: 'risk-off' | 'small-cap-rally' = 'risk-off'): Map<string, Close[]> {
  const series = demoSeries({ scenario, asOf: '2026-11-20', instruments: config.instruments });
  for (const s of series) server.data.set(s.symbol, s.points);
  return new Map(series.map((s) => [s.symbol, s.points]));
}
const liveEnv = () => ({ YAHOO_BASE_URL: server.url, FRED_BASE_URL: `${server.url}/fred`, FRED_API_KEY: 'test-key', MARKET_DATA: 'live', MARKET_TIMEOUT_MS: '2000' });

describe('live data end to end', () => {
  it('digest --data live produces an edition whose numbers equal independently computed ones', async () => {
    const served = serveAll();
    const ctx = testContext(liveEnv());
    const result = await weeklyDigest.run(ctx, { data: 'live' });
    expect(result.demo).toBe(false);
    expect(result.subject.startsWith('[DEMO')).toBe(false);
    const json = JSON.parse(readFileSync(result.files.json, 'utf8'));
    const html = readFileSync(result.files.html, 'utf8');
    expect(json.sources['^GSPC']).toBe('yahoo:^GSPC');
    expect(json.sources.DGS2).toBe('fred:DGS2');
    expect(json.issues).toEqual([]);
    for (const [symbol, closes] of served) {
      const last = closes.at(-1)!.close!;
      const base = closes.find((c) => c.date === '2026-11-13')!.close!;
      const kind = config.instruments.find((i) => i.symbol === symbol)!.kind;
      const expected = kind === 'rate' ? (last - base) * 100 : kind === 'volatility' ? last - base : (last / base - 1) * 100;
      expect(json.metrics[symbol].windows['1W'].change, symbol).toBeCloseTo(expected, 9);
      if (['^GSPC', '^RUT', '^IXIC', '^DJI', '^VIX', '^TNX'].includes(symbol)) {
        expect(html, symbol).toContain(`>${formatChange(expected, kind === 'rate' ? 'bp' : kind === 'volatility' ? 'pt' : 'pct')}<`);
      }
    }
    expect(result.delivery?.sent).toBe(1);
  });

  it('falls back along the chain to a labelled proxy, and says so in the edition', async () => {
    const served = serveAll('small-cap-rally');
    server.data.delete('^RUT');
    server.data.set(
      'IWM',
      served.get('^RUT')!.map((c) => ({ date: c.date, close: c.close! / 10 })),
    );
    const ctx = testContext(liveEnv());
    const edition = await buildEdition(ctx, { data: 'live' });
    expect(edition.snapshot.sources['^RUT']).toBe('yahoo:IWM (proxy)');
    expect(edition.snapshot.notes).toContain('yahoo ^RUT: unknown symbol (HTTP 404): check the ticker in the config');
    expect(edition.html).toContain('proxies: IWM for ^RUT');
    expect(edition.analysis.metrics.get('^RUT')!.windows['1W']!.change).toBeCloseTo(6.3, 2);
  });

  it('caches closes and then fetches only the recent sessions', async () => {
    const served = serveAll();
    const ctx = testContext(liveEnv());
    const first = await buildEdition(ctx, { data: 'live' });
    // The server forgets everything but the last ten days: the cache must supply the rest.
    for (const [symbol, closes] of served)
      server.data.set(
        symbol,
        closes.filter((c) => c.date >= '2026-11-10'),
      );
    const second = await buildEdition(ctx, { data: 'live' });
    expect(Object.fromEntries(second.analysis.metrics)).toEqual(Object.fromEntries(first.analysis.metrics));
    expect((await ctx.store.closes('yahoo:^GSPC', '2026-01-01', '2026-11-20')).length).toBeGreaterThan(200);
    // Indices come with their whole history (for all-time highs and drawdowns from the peak); ETFs with the windows'.
    expect((await ctx.store.closes('yahoo:^GSPC', '1970-01-01', '2026-11-20'))[0]!.date).toBe(served.get('^GSPC')![0]!.date);
    expect((await ctx.store.closes('yahoo:XLF', '1970-01-01', '2026-11-20'))[0]!.date > served.get('XLF')![0]!.date).toBe(true);
    expect(first.snapshot.series.find((x) => x.symbol === '^GSPC')!.fullHistory).toBe(true);
  });

  it('a stale required instrument stops the send with a clear message; build still renders with a warning', async () => {
    const served = serveAll();
    server.data.set(
      '^GSPC',
      served.get('^GSPC')!.filter((c) => c.date <= '2026-11-19'),
    );
    sink = await startSmtpSink();
    const ctx = testContext({ ...liveEnv(), SMTP_URL: sink.url });
    await ctx.subscribers.add('ann@example.com');
    const refused = await weeklyDigest.run(ctx, { data: 'live' }).catch((e: unknown) => e);
    expect(isFailure(refused, 'SEND_REFUSED'), String(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/S&P 500 \(\^GSPC\) last closed 2026-11-19, but the last completed session is 2026-11-20: the provider is behind/);
    expect(sink.received).toHaveLength(0);
    const edition = await buildEdition(ctx, { data: 'live' });
    expect(edition.html).toContain('Data warning: this edition will not be sent');
    expect(edition.text).toContain('!!! DATA WARNING: S&amp;P 500'.replace('&amp;', '&'));
  });

  const sanityCases: Array<[string, (closes: Close[]) => Close[], RegExp]> = [
    [
      'a daily move beyond the bound',
      (c) => c.map((p) => (p.date === '2026-11-18' ? { ...p, close: p.close! * 1.3 } : p)),
      /Dow Jones Industrial Average \(\^DJI\) moved \d+\.\d% on 2026-11-18, beyond the 25% bound for a broad index/,
    ],
    ['a non-positive price', (c) => c.map((p) => (p.date === '2026-10-07' ? { ...p, close: 0 } : p)), /\(\^DJI\) has a non-positive close \(0\) on 2026-10-07/],
    [
      'a gap of missing sessions',
      (c) => c.filter((p) => p.date !== '2026-09-15' && p.date !== '2026-09-16'),
      /\(\^DJI\) is missing 2 sessions inside the windows \(first 2026-09-15\)/,
    ],
  ];
  it('constant garbage for every instrument stops the send: flat closes, identical instruments', async () => {
    for (const [symbol, closes] of serveAll())
      server.data.set(
        symbol,
        closes.map((c) => ({ ...c, close: 100 })),
      );
    const ctx = testContext(liveEnv());
    await ctx.subscribers.add('ann@example.com');
    const error = await weeklyDigest.run(ctx, { data: 'live' }).catch((e: unknown) => e);
    expect(isFailure(error, 'SEND_REFUSED'), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/S&P 500 \(\^GSPC\) closed at the same price for \d+ sessions from \d{4}-\d\d-\d\d: the provider is not sending real prices/);
    expect(message).toMatch(/Cboe Volatility Index \(\^VIX\) closed at the same price/);
    expect(message).toMatch(/S&P 500 \(\^GSPC\), Russell 2000 \(\^RUT\), .* have identical closes for the last 10 sessions/);
  });

  it('one instrument sent as a copy of another stops the send', async () => {
    const served = serveAll();
    server.data.set('^IXIC', served.get('^DJI')!);
    const ctx = testContext(liveEnv());
    const error = await weeklyDigest.run(ctx, { data: 'live' }).catch((e: unknown) => e);
    expect(isFailure(error, 'SEND_REFUSED'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /(Nasdaq Composite \(\^IXIC\), Dow Jones Industrial Average \(\^DJI\)|Dow Jones Industrial Average \(\^DJI\), Nasdaq Composite \(\^IXIC\)) have identical closes/,
    );
    expect((error as Error).message).not.toMatch(/S&P 500/);
  });

  it('closes far from the cached ones for the same dates are not saved, and stop the send', async () => {
    const served = serveAll();
    const ctx = testContext(liveEnv());
    await ctx.subscribers.add('ann@example.com');
    await buildEdition(ctx, { data: 'live' });
    const cached = await ctx.store.closes('yahoo:^GSPC', '2026-11-01', '2026-11-20');
    server.data.set(
      '^GSPC',
      served.get('^GSPC')!.map((c) => ({ ...c, close: 100 + (c.close! % 1) })),
    );
    const error = await weeklyDigest.run(ctx, { data: 'live' }).catch((e: unknown) => e);
    expect(isFailure(error, 'SEND_REFUSED'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/S&P 500 \(\^GSPC\) was sent a close of 100\.\d+ for 2026-11-\d\d, where the cache holds \d+\.\d+ .*the fetch was not saved/);
    expect(await ctx.store.closes('yahoo:^GSPC', '2026-11-01', '2026-11-20')).toEqual(cached);
  });

  it.each(sanityCases)('%s stops the send and names instrument and date', async (_name, corrupt, message) => {
    const served = serveAll();
    server.data.set('^DJI', corrupt(served.get('^DJI')!));
    const ctx = testContext(liveEnv());
    await ctx.subscribers.add('ann@example.com');
    const error = await weeklyDigest.run(ctx, { data: 'live' }).catch((e: unknown) => e);
    expect(isFailure(error, 'SEND_REFUSED'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe('data commands', () => {
  it('data fetch fills the cache; data show and data export read it back', async () => {
    const served = serveAll();
    const dir = tempDir();
    const env = { ...liveEnv(), DATA_DIR: join(dir, 'data'), ...testDatabaseEnv(), CONFIG_FILE: join(dir, 'none.json') };
    // The last completed session by the real clock may be newer than the served data: ask for the served week.
    const fetched = await runCliAsync(['data', 'fetch', '--as-of', '2026-11-20', '--json'], env);
    expect(fetched.status, fetched.stderr).toBe(0);
    expect(JSON.parse(fetched.stdout)).toMatchObject({ asOf: '2026-11-20', issues: [], sources: { '^GSPC': 'yahoo:^GSPC', DGS2: 'fred:DGS2' } });
    const shown = JSON.parse((await runCliAsync(['data', 'show', '^GSPC', '--json', '--from', '2026-11-16'], env)).stdout);
    expect(shown.closes).toEqual(served.get('^GSPC')!.filter((c) => c.date >= '2026-11-16'));
    const csv = (await runCliAsync(['data', 'export'], env)).stdout.split('\n');
    expect(csv[0]).toBe('source,date,close');
    expect(csv).toContain(`yahoo:^GSPC,2026-11-20,${served.get('^GSPC')!.at(-1)!.close}`);
    const missing = await runCliAsync(['data', 'show', '^NOPE'], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no cached closes for \^NOPE: run `marketwrap data fetch` first/);
  });
});

describe('MARKET_DATA=auto', () => {
  const unreachable = { YAHOO_BASE_URL: 'http://127.0.0.1:9', MARKET_DATA: 'auto', MARKET_TIMEOUT_MS: '500' };

  it('falls back to demo data when mailing to the outbox, marked as demo', async () => {
    const ctx = testContext(unreachable);
    const result = await weeklyDigest.run(ctx, {});
    expect(result.demo).toBe(true);
    expect(result.subject).toMatch(/^\[DEMO DATA\]/);
    expect(result.dataNotes[0]).toMatch(/no market data provider could be reached \(yahoo .*ECONNREFUSED.*\): this edition uses demo data/);
  });

  it('over real SMTP refuses demo data unless --allow-demo-data', async () => {
    sink = await startSmtpSink();
    const ctx = testContext({ ...unreachable, SMTP_URL: sink.url });
    await ctx.subscribers.add('ann@example.com');
    // No provider answered: the demo fallback is built and refused like any demo edition (exit 3), saying why.
    await expect(weeklyDigest.run(ctx, {})).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/built from demo data \(no market data provider could be reached/),
    });
    await expect(weeklyDigest.run(ctx, { data: 'demo' })).rejects.toThrow(/built from demo data; use live data, or pass --allow-demo-data/);
    expect(sink.received).toHaveLength(0);
    const sent = await weeklyDigest.run(ctx, { allowDemoData: true });
    expect(sent.delivery?.sent).toBe(1);
    expect(sink.received[0]!.parsed.subject).toMatch(/^\[DEMO DATA\]/);
  });

  it('uses live data when the providers answer', async () => {
    serveAll();
    const ctx = testContext({ ...liveEnv(), MARKET_DATA: 'auto' });
    expect((await buildEdition(ctx)).snapshot.demo).toBe(false);
  });
});
