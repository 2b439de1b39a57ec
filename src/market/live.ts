/**
 * Live data for every configured instrument: each tries its sources in order (a labelled proxy last),
 * tops up the SQLite cache (only what is missing, plus the last few sessions, which providers revise),
 * and reads the window range back from the cache. Guards run on what comes back.
 */
import type { Instrument, Newsletter } from '../config/newsletter.js';
import type { CachedSource, StorePart } from '../db/index.js';
import { addDays, bondSessionOnOrBefore, windowAnchor } from './calendar.js';
import { checkAgainstCache, checkFlat, checkIdentical, checkSanity, checkStaleness, type DataIssue } from './guards.js';
import { ProviderError } from './http.js';
import { alphaVantageProvider } from './providers/alphavantage.js';
import { fredProvider } from './providers/fred.js';
import type { ProviderFetch, RawPoint } from './providers/provider.js';
import { yahooProvider } from './providers/yahoo.js';
import type { IsoDate, Series } from './types.js';

export interface ProviderSettings {
  YAHOO_BASE_URL: string;
  FRED_BASE_URL: string;
  ALPHAVANTAGE_BASE_URL: string;
  FRED_API_KEY?: string | undefined;
  ALPHAVANTAGE_API_KEY?: string | undefined;
  MARKET_TIMEOUT_MS: number;
}

type ProviderName = NonNullable<Instrument['sources']>[number]['provider'];
type Source = NonNullable<Instrument['sources']>[number];

const KEY_HELP: Record<Exclude<ProviderName, 'yahoo'>, string> = {
  fred: 'FRED_API_KEY is not set: get a free key at https://fred.stlouisfed.org/docs/api/api_key.html',
  alphavantage: 'ALPHAVANTAGE_API_KEY is not set: get a free key at https://www.alphavantage.co/support/#api-key',
};

/** Each provider, or why it cannot be used. */
export function createProviders(settings: ProviderSettings, sleep?: (ms: number) => Promise<void>): Record<ProviderName, ProviderFetch | string> {
  const common = { timeoutMs: settings.MARKET_TIMEOUT_MS, ...(sleep ? { sleep } : {}) };
  return {
    yahoo: yahooProvider({ ...common, baseURL: settings.YAHOO_BASE_URL }),
    fred: settings.FRED_API_KEY ? fredProvider({ ...common, baseURL: settings.FRED_BASE_URL, apiKey: settings.FRED_API_KEY }) : KEY_HELP.fred,
    alphavantage: settings.ALPHAVANTAGE_API_KEY
      ? alphaVantageProvider({ ...common, baseURL: settings.ALPHAVANTAGE_BASE_URL, apiKey: settings.ALPHAVANTAGE_API_KEY })
      : KEY_HELP.alphavantage,
  };
}

/**
 * Yahoo first, but FRED first for the 10-year: the curve is FRED's DGS10 and DGS2, and one series has
 * one source (FRED skipped when no key is set). FRED second for the VIX; Alpha Vantage for funds and stocks.
 */
export function sourcesFor(instrument: Instrument): Source[] {
  if (instrument.sources) return instrument.sources;
  const chain: Source[] = [{ provider: 'yahoo', symbol: instrument.symbol, proxy: false }];
  if (instrument.symbol === '^TNX') chain.unshift({ provider: 'fred', symbol: 'DGS10', proxy: false });
  if (instrument.symbol === '^VIX') chain.push({ provider: 'fred', symbol: 'VIXCLS', proxy: false });
  if (instrument.kind === 'etf' || instrument.kind === 'stock') chain.push({ provider: 'alphavantage', symbol: instrument.symbol, proxy: false });
  return chain;
}

export const sourceKey = (source: Source) => `${source.provider}:${source.symbol}`;
const sourceLabel = (source: Source) => `${sourceKey(source)}${source.proxy ? ' (proxy)' : ''}`;

/** Before any series' first close: Yahoo's ^GSPC starts in 1927 (yfinance asks from 1900 for "max" too). */
export const FULL_HISTORY_START = '1900-01-01';

/**
 * Sources that serve a series from its first close, fetched whole so that ranks and records span it:
 * indices, the VIX (1990) and yields at Yahoo, and yields and the VIX at FRED (DGS10 from 1962). Proxies,
 * funds and stocks are cut to the windows.
 */
export function fullHistorySource(source: Source, instrument: Instrument): boolean {
  if (source.proxy) return false;
  if (source.provider === 'yahoo') return instrument.kind === 'index' || instrument.kind === 'volatility' || instrument.kind === 'rate';
  return source.provider === 'fred' && (instrument.kind === 'rate' || instrument.kind === 'volatility');
}

/** Sessions re-fetched behind the newest cached close: providers revise recent closes. */
const REVISION_DAYS = 7;

/** The market's part of the store: the cached closes. */
export type CloseCache = StorePart<'cachedSources' | 'closes' | 'saveCloses'>;

export interface LiveRequest {
  config: Pick<Newsletter, 'instruments' | 'guards'>;
  asOf: IsoDate;
  /** The last completed session: what "fresh" means. */
  expected: IsoDate;
  store: CloseCache;
  providers: Record<ProviderName, ProviderFetch | string>;
  now: Date;
  /** Read the cache only (preview, `data show`): no network. */
  offline?: boolean;
}

export interface LiveResult {
  series: Series[];
  sources: Record<string, string>;
  issues: DataIssue[];
  notes: string[];
  /** Did any provider answer at all? False means the network (or every provider) is out of reach. */
  reachable: boolean;
  /** The first network-level failure, for the message when nothing was reachable. */
  firstFailure?: string;
}

export function historyStart(asOf: IsoDate): IsoDate {
  const earliest = [windowAnchor(asOf, '1Y'), windowAnchor(asOf, 'YTD')].sort()[0]!;
  return addDays(earliest, -10);
}

/** Where a fetch starts: the whole history the first time, so records and ranks are real; then only what is new, plus recent revisions. */
export function fetchStart(cached: Pick<CachedSource, 'last'> | undefined, full: boolean, from: IsoDate): IsoDate {
  if (!cached || cached.last < from) return full ? FULL_HISTORY_START : from;
  return addDays(cached.last, -REVISION_DAYS);
}

/**
 * The closes a full-history source may hold before the cache's first one: a cache filled when only the
 * windows were fetched is completed once; after that the provider has nothing older to send.
 */
export function backfillRange(cached: Pick<CachedSource, 'first' | 'last'> | undefined, full: boolean, from: IsoDate): [IsoDate, IsoDate] | undefined {
  if (!full || !cached || cached.last < from || cached.first <= FULL_HISTORY_START) return undefined;
  return [FULL_HISTORY_START, addDays(cached.first, -1)];
}

export async function fetchLive(request: LiveRequest): Promise<LiveResult> {
  const { config, asOf, store } = request;
  const from = historyStart(asOf);
  const result: LiveResult = { series: [], sources: {}, issues: [], notes: [], reachable: false };
  // Why each source gave nothing, by source key: a missing required instrument says it in its own line.
  const reasons = new Map<string, string>();
  const note = (text: string, key?: string) => {
    if (!result.notes.includes(text)) result.notes.push(text);
    if (key) reasons.set(key, text);
  };
  const choose = sourceChooser(request, result, note, new Map((await store.cachedSources()).map((c) => [c.source, c])), from);
  await Promise.all(
    config.instruments.map(async (instrument) => {
      const chain = sourcesFor(instrument);
      let used = await choose(chain, instrument);
      // Nothing fetched: fall back to what the cache holds (the staleness guard judges it).
      for (const s of chain) if (!used && (await store.closes(sourceKey(s), from, asOf)).length > 0) used = s;
      if (!used) {
        if (instrument.required) {
          result.issues.push({
            symbol: instrument.symbol,
            kind: 'missing',
            message: `${instrument.name} (${instrument.symbol}) has no data from ${chain.map(sourceKey).join(', ')}${because(chain.map((s) => reasons.get(sourceKey(s))))}: it is required; fix its source or mark it "required": false`,
          });
        } else note(`${instrument.symbol}: no data, left out of this edition`);
        return;
      }
      const full = fullHistorySource(used, instrument);
      const rows: RawPoint[] = await store.closes(sourceKey(used), full ? FULL_HISTORY_START : from, asOf);
      result.issues.push(...checkSanity(instrument, rows, { maxDailyMovePct: config.guards.maxDailyMovePct, from: windowAnchor(asOf, '1Y'), allowGaps: used.provider === 'fred' }));
      result.issues.push(...checkFlat(instrument, rows, { from: windowAnchor(asOf, '1Y'), maxFlatSessions: config.guards.maxFlatSessions }));
      if (instrument.required) result.issues.push(...checkStaleness(instrument, rows, expectedFor(instrument, request.expected)));
      result.sources[instrument.symbol] = sourceLabel(used);
      const points = rows.filter((p) => p.close > 0 && Number.isFinite(p.close));
      if (points.length > 0) {
        result.series.push({ symbol: instrument.symbol, name: instrument.name, kind: instrument.kind, source: sourceLabel(used), points, fullHistory: full });
      }
    }),
  );
  const order = new Map(config.instruments.map((inst, i) => [inst.symbol, i]));
  result.series.sort((a, b) => order.get(a.symbol)! - order.get(b.symbol)!);
  result.issues.push(...checkIdentical(result.series, config.guards.maxFlatSessions));
  return result;
}

/** The sources' reasons, in parentheses, when any was given. */
const because = (reasons: Array<string | undefined>) => {
  const given = reasons.filter((r): r is string => r !== undefined);
  return given.length > 0 ? ` (${given.join('; ')})` : '';
};

/** Yields follow the bond market's calendar: no close on Columbus Day or Veterans Day is not late. */
const expectedFor = (instrument: Instrument, expected: IsoDate) => (instrument.kind === 'rate' ? bondSessionOnOrBefore(expected) : expected);

/**
 * Walks an instrument's chain: the first source that answers with the last completed session wins. A
 * source that answers but is behind gives way to the next (FRED publishes a day late at times), and is
 * used only when no later one is current. Each source is fetched once per run, whoever asks for it.
 */
function sourceChooser(request: LiveRequest, result: LiveResult, note: (text: string, key?: string) => void, cached: ReadonlyMap<string, CachedSource>, from: IsoDate) {
  const { asOf, store, providers, now } = request;
  const fetched = new Map<string, Promise<IsoDate>>();
  /** Tops up the cache from the provider; the newest close it served. */
  async function refresh(source: Source, instrument: Instrument): Promise<IsoDate> {
    const fetcher = providers[source.provider] as ProviderFetch;
    const key = sourceKey(source);
    const full = fullHistorySource(source, instrument);
    const older = backfillRange(cached.get(key), full, from);
    if (older) await store.saveCloses(key, await fetcher(source.symbol, ...older), now);
    const start = fetchStart(cached.get(key), full, from);
    const points = await fetcher(source.symbol, start, asOf);
    result.reachable = true;
    if (points.length === 0) throw new ProviderError(source.provider, source.symbol, `no data between ${start} and ${asOf}`);
    const last = cached.get(key)?.last;
    const cachedRows = last && last >= start ? await store.closes(key, start, last) : [];
    const contradicted = checkAgainstCache(instrument, cachedRows, points, request.config.guards.maxRevisionPct);
    // A fetch that rewrites the cached past is kept out of the cache and stops the send.
    if (contradicted.length > 0) result.issues.push(...contradicted);
    else await store.saveCloses(key, points, now);
    return points.at(-1)!.date;
  }
  return async (chain: readonly Source[], instrument: Instrument): Promise<Source | undefined> => {
    let behind: Source | undefined;
    for (const [i, source] of chain.entries()) {
      if (request.offline) break;
      const key = sourceKey(source);
      if (typeof providers[source.provider] === 'string') {
        note(`${source.provider} skipped: ${providers[source.provider]}`, key);
        continue;
      }
      if (!fetched.has(key)) fetched.set(key, refresh(source, instrument));
      try {
        const newest = await fetched.get(key)!;
        const expected = expectedFor(instrument, request.expected);
        if (newest >= expected) return source;
        behind ??= source;
        if (i < chain.length - 1) note(`${key} last closed ${newest}, before the session of ${expected}: trying ${sourceKey(chain[i + 1]!)} for ${instrument.symbol}`);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (!error.unreachable) result.reachable = true;
        else result.firstFailure ??= error.message;
        note(error.message, key);
      }
    }
    return behind;
  };
}
