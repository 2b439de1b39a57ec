/**
 * Whole histories over real HTTP: a local server speaking Yahoo's and FRED's formats serves the real
 * closes committed under test/fixtures/market-data (the S&P 500 from 1927, the VIX from 1990, FRED's
 * yields from 1962 and 1976); the live fetch must ask for all of it, and the analysis rank on all of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { defaultInstruments } from '../../src/config/defaults.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { loadMarketData } from '../../src/market/index.js';
import { FULL_HISTORY_START, backfillRange, fetchStart } from '../../src/market/live.js';
import { readReferenceCsv } from '../helpers/reference-data.js';
import { testContext } from '../helpers/context.js';
import { startProviderServer, type ProviderServer } from '../helpers/provider-server.js';

let server: ProviderServer;
beforeEach(async () => {
  server = await startProviderServer();
});
afterEach(async () => server.close());

const pick = (...symbols: string[]) => defaultInstruments.filter((i) => symbols.includes(i.symbol));
const configOf = (...symbols: string[]) => parseNewsletter({ instruments: pick(...symbols), baskets: [], tableGroups: ['benchmarks'], rules: [] });
const env = (fred: boolean) => ({
  YAHOO_BASE_URL: server.url,
  FRED_BASE_URL: `${server.url}/fred`,
  MARKET_TIMEOUT_MS: '5000',
  ...(fred ? { FRED_API_KEY: 'test-key' } : {}),
});

/** The S&P 500 at Yahoo from 1927, the VIX from 1990, ^TNX from 2001; FRED's DGS10 and DGS2 from their first day. */
function serveReal(): void {
  server.data.set('^GSPC', [...readReferenceCsv('GSPC-1927-1999.csv'), ...readReferenceCsv('GSPC.csv')]);
  server.data.set('^VIX', [...readReferenceCsv('VIX-1990-1999.csv'), ...readReferenceCsv('VIX.csv')]);
  server.data.set('^TNX', readReferenceCsv('TNX.csv'));
  server.data.set('DGS10', readReferenceCsv('DGS10.csv'));
  server.data.set('DGS2', readReferenceCsv('DGS2.csv'));
}

async function live(asOf: string, symbols: string[], fred = true) {
  const ctx = testContext(env(fred));
  const config = configOf(...symbols);
  const snapshot = await loadMarketData({ source: 'live', asOf, config, now: ctx.clock(), store: ctx.store, providers: ctx.env, allowDemoFallback: false });
  return { ctx, config, snapshot, analysis: analyze(snapshot, config) };
}

/** Monday of a date's week. */
const mondayOf = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};

/** The week to `asOf` from the closes alone: its highest close, and the last close before the week as high. */
function weekHighFromCloses(closes: ReadonlyArray<{ date: string; close: number }>, asOf: string) {
  const upTo = closes.filter((c) => c.date <= asOf);
  const week = upTo.filter((c) => c.date >= mondayOf(asOf));
  const high = week.reduce((a, c) => (c.close > a.close ? c : a));
  const since = upTo.filter((c) => c.date < mondayOf(asOf) && c.close >= high.close).at(-1);
  return { high, since };
}

describe('whole histories over HTTP', () => {
  it("fetches the S&P 500 from its first close in 1927: 2008-10-10 is the worst week since July 1933, not one 'on record'", async () => {
    serveReal();
    const { snapshot, analysis } = await live('2008-10-10', ['^GSPC']);
    const closes = server.data.get('^GSPC')!.filter((c) => c.date <= '2008-10-10') as Array<{ date: string; close: number }>;
    expect(snapshot.series[0]!.points[0]!.date).toBe(closes[0]!.date);
    // Independently: each calendar week's last close against the one before, the last as bad as this one.
    const ends = closes.filter((c, i) => i === closes.length - 1 || mondayOf(closes[i + 1]!.date) !== mondayOf(c.date));
    const weeks = ends.slice(1).map((c, i) => ({ date: c.date, change: (c.close / ends[i]!.close - 1) * 100 }));
    const now = weeks.at(-1)!;
    const worse = weeks.slice(0, -1).filter((w) => w.change <= now.change);
    const m = analysis.metrics.get('^GSPC')!;
    expect(m.windows['1W']!.change).toBeCloseTo(now.change, 9);
    expect(m.weekRank).toMatchObject({ since: worse.at(-1)!.date, onRecord: false, from: closes[0]!.date });
  }, 60_000);

  it('fetches the VIX from 1990: 82.69 on 2020-03-16 is its highest close ever, not "in 52 weeks"', async () => {
    serveReal();
    const { snapshot, analysis, ctx } = await live('2020-03-20', ['^VIX']);
    const served = server.data.get('^VIX')! as Array<{ date: string; close: number }>;
    const vix = snapshot.series.find((s) => s.symbol === '^VIX')!;
    expect(vix).toMatchObject({ source: 'yahoo:^VIX', fullHistory: true });
    expect(vix.points[0]!.date).toBe(served[0]!.date);
    const { high, since } = weekHighFromCloses(served, '2020-03-20');
    expect(since).toBeUndefined();
    expect(analysis.metrics.get('^VIX')!.weekHigh).toMatchObject({ point: high, allTime: true, atClose: false });
    expect((await ctx.store.closes('yahoo:^VIX', FULL_HISTORY_START, '2020-03-20'))[0]!.date).toBe(served[0]!.date);
  }, 60_000);

  it("takes FRED's yields from their first day: the 10-year's close of 2022-06-14 is its highest since April 2011", async () => {
    serveReal();
    const { snapshot, analysis } = await live('2022-06-17', ['^TNX', 'DGS2', 'DGS10']);
    const dgs10 = server.data.get('DGS10')! as Array<{ date: string; close: number }>;
    for (const symbol of ['^TNX', 'DGS10']) {
      const series = snapshot.series.find((s) => s.symbol === symbol)!;
      expect(series, symbol).toMatchObject({ source: 'fred:DGS10', fullHistory: true });
      expect(series.points[0]!.date).toBe(dgs10[0]!.date);
    }
    expect(snapshot.series.find((s) => s.symbol === 'DGS2')!.points[0]!.date).toBe(server.data.get('DGS2')![0]!.date);
    const { high, since } = weekHighFromCloses(dgs10, '2022-06-17');
    expect(since!.date.slice(0, 7)).toBe('2011-04');
    expect(analysis.metrics.get('^TNX')!.weekHigh).toMatchObject({ point: high, since, allTime: false });
    // Each source is fetched once, whoever asks for it.
    expect(server.requests.filter((r) => r === 'fred DGS10')).toHaveLength(1);
  }, 60_000);
});

describe('one source per series', () => {
  it("with FRED configured, the 10-year's level is FRED's DGS10, the series the curve uses", async () => {
    serveReal();
    const { snapshot, analysis } = await live('2022-06-17', ['^TNX', 'DGS10']);
    expect(snapshot.sources['^TNX']).toBe('fred:DGS10');
    expect(analysis.metrics.get('^TNX')!.last).toEqual(analysis.metrics.get('DGS10')!.last);
    expect(server.requests).not.toContain('yahoo ^TNX');
  }, 60_000);

  it('without a FRED key, the level comes from Yahoo, and the notes say why', async () => {
    serveReal();
    const { snapshot } = await live('2022-06-17', ['^TNX'], false);
    expect(snapshot.sources['^TNX']).toBe('yahoo:^TNX');
    expect(snapshot.notes.some((n) => n.startsWith('fred skipped: FRED_API_KEY is not set'))).toBe(true);
  }, 60_000);

  it("when FRED has not yet published the week's last day, the level comes from the next source, and the notes say so", async () => {
    serveReal();
    server.data.set(
      'DGS10',
      server.data.get('DGS10')!.filter((c) => c.date < '2022-06-17'),
    );
    const { snapshot } = await live('2022-06-17', ['^TNX']);
    expect(snapshot.sources['^TNX']).toBe('yahoo:^TNX');
    expect(snapshot.notes).toContain('fred:DGS10 last closed 2022-06-16, before the session of 2022-06-17: trying yahoo:^TNX for ^TNX');
    expect(snapshot.issues).toEqual([]);
  }, 60_000);
});

describe('where a fetch starts', () => {
  const from = '2021-06-07';
  it('asks for the whole history the first time, then only what is new, with a week of revisions', () => {
    expect(fetchStart(undefined, true, from)).toBe(FULL_HISTORY_START);
    expect(fetchStart(undefined, false, from)).toBe(from);
    expect(fetchStart({ last: '2022-06-10' }, true, from)).toBe('2022-06-03');
    expect(fetchStart({ last: '2020-01-02' }, true, from)).toBe(FULL_HISTORY_START);
  });
  it("asks a full-history source for anything older than the cache's first close", () => {
    expect(backfillRange({ first: '2019-03-01', last: '2022-06-10' }, true, from)).toEqual([FULL_HISTORY_START, '2019-02-28']);
    expect(backfillRange({ first: '2019-03-01', last: '2022-06-10' }, false, from)).toBeUndefined();
    expect(backfillRange(undefined, true, from)).toBeUndefined();
  });
});

describe('a cache filled before histories were fetched whole', () => {
  it('is backfilled with the whole history once', async () => {
    serveReal();
    const ctx = testContext(env(true));
    const year = server.data.get('^VIX')!.filter((c) => c.date >= '2019-03-01' && c.date <= '2020-03-13') as Array<{ date: string; close: number }>;
    await ctx.store.saveCloses('yahoo:^VIX', year, ctx.clock());
    const config = configOf('^VIX');
    const snapshot = await loadMarketData({ source: 'live', asOf: '2020-03-20', config, now: ctx.clock(), store: ctx.store, providers: ctx.env, allowDemoFallback: false });
    expect(snapshot.series[0]!.points[0]!.date).toBe('1990-01-02');
    expect(analyze(snapshot, config).metrics.get('^VIX')!.weekHigh!.allTime).toBe(true);
  }, 60_000);
});
