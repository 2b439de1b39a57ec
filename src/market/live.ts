/**
 * Live data for every configured instrument: each tries its sources in order (a labelled proxy last),
 * tops up the SQLite cache (only what is missing, plus the last few sessions, which providers revise),
 * and reads the window range back from the cache. Guards run on what comes back.
 */
import type { Instrument, Newsletter } from '../config/newsletter.js';
import type { Store } from '../db/index.js';
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

/** Yahoo first for everything; FRED as a second source for rates and the VIX; Alpha Vantage for funds and stocks. */
export function sourcesFor(instrument: Instrument): Source[] {
  if (instrument.sources) return instrument.sources;
  const chain: Source[] = [{ provider: 'yahoo', symbol: instrument.symbol, proxy: false }];
  if (instrument.symbol === '^TNX') chain.push({ provider: 'fred', symbol: 'DGS10', proxy: false });
  if (instrument.symbol === '^VIX') chain.push({ provider: 'fred', symbol: 'VIXCLS', proxy: false });
  if (instrument.kind === 'etf' || instrument.kind === 'stock') chain.push({ provider: 'alphavantage', symbol: instrument.symbol, proxy: false });
  return chain;
}

export const sourceKey = (source: Source) => `${source.provider}:${source.symbol}`;
const sourceLabel = (source: Source) => `${sourceKey(source)}${source.proxy ? ' (proxy)' : ''}`;

const FULL_HISTORY_START = '1970-01-01';

/** Yahoo serves an index's history from its first close; proxies and other providers are cut to the windows. */
function fullHistorySource(source: Source, instrument: Instrument): boolean {
  return source.provider === 'yahoo' && !source.proxy && instrument.kind === 'index';
}

/** Sessions re-fetched behind the newest cached close: providers revise recent closes. */
const REVISION_DAYS = 7;

export interface LiveRequest {
  config: Pick<Newsletter, 'instruments' | 'guards'>;
  asOf: IsoDate;
  /** The last completed session: what "fresh" means. */
  expected: IsoDate;
  store: Store;
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

export async function fetchLive(request: LiveRequest): Promise<LiveResult> {
  const { config, asOf, store, providers, now } = request;
  const from = historyStart(asOf);
  const result: LiveResult = { series: [], sources: {}, issues: [], notes: [], reachable: false };
  const note = (text: string) => {
    if (!result.notes.includes(text)) result.notes.push(text);
  };

  async function refresh(source: Source, instrument: Instrument): Promise<void> {
    const fetcher = providers[source.provider] as ProviderFetch;
    const cachedUntil = await store.lastCloseDate(sourceKey(source));
    // Indices at Yahoo come with their whole history the first time, so all-time highs and drawdowns
    // from the peak are real; after that, only what is new (plus recent revisions).
    const first = fullHistorySource(source, instrument) ? FULL_HISTORY_START : from;
    const start = cachedUntil && cachedUntil >= from ? addDays(cachedUntil, -REVISION_DAYS) : first;
    const points = await fetcher(source.symbol, start, asOf);
    result.reachable = true;
    if (points.length === 0) throw new ProviderError(source.provider, source.symbol, `no data between ${start} and ${asOf}`);
    const cached = cachedUntil ? await store.closes(sourceKey(source), start, cachedUntil) : [];
    const contradicted = checkAgainstCache(instrument, cached, points, config.guards.maxRevisionPct);
    if (contradicted.length > 0) return void result.issues.push(...contradicted);
    await store.saveCloses(sourceKey(source), points, now);
  }

  await Promise.all(
    config.instruments.map(async (instrument) => {
      const chain = sourcesFor(instrument);
      let used: Source | undefined;
      for (const source of chain) {
        if (request.offline) break;
        const fetcher = providers[source.provider];
        if (typeof fetcher === 'string') {
          note(`${source.provider} skipped: ${fetcher}`);
          continue;
        }
        try {
          await refresh(source, instrument);
          used = source;
          break;
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          if (!error.unreachable) result.reachable = true;
          else result.firstFailure ??= error.message;
          note(error.message);
        }
      }
      // Nothing fetched: fall back to what the cache holds (the staleness guard judges it).
      for (const s of chain) if (!used && (await store.closes(sourceKey(s), from, asOf)).length > 0) used = s;
      if (!used) {
        if (instrument.required) {
          result.issues.push({
            symbol: instrument.symbol,
            kind: 'missing',
            message: `${instrument.name} (${instrument.symbol}) has no data from ${chain.map(sourceKey).join(', ')}: it is required; check the notes above or mark it "required": false`,
          });
        } else note(`${instrument.symbol}: no data, left out of this edition`);
        return;
      }
      const full = fullHistorySource(used, instrument);
      const rows: RawPoint[] = await store.closes(sourceKey(used), full ? FULL_HISTORY_START : from, asOf);
      const windows = windowAnchor(asOf, '1Y');
      result.issues.push(...checkSanity(instrument, rows, { maxDailyMovePct: config.guards.maxDailyMovePct, from: windows, allowGaps: used.provider === 'fred' }));
      result.issues.push(...checkFlat(instrument, rows, { from: windows, maxFlatSessions: config.guards.maxFlatSessions }));
      // Yields follow the bond market's calendar: no close on Columbus Day or Veterans Day is not late.
      const expected = instrument.kind === 'rate' ? bondSessionOnOrBefore(request.expected) : request.expected;
      if (instrument.required) result.issues.push(...checkStaleness(instrument, rows, expected));
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
