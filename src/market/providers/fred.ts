/**
 * FRED series observations (FRED_API_KEY). JSON must be asked for (file_type=json); `value` is a
 * string and "." marks a day without an observation (a bond-market holiday).
 */
import { z } from 'zod';
import { createHttpClient, ProviderError, type HttpOptions } from '../http.js';
import type { AxiosResponse } from 'axios';
import { parseBody, type ProviderFetch, type RawPoint } from './provider.js';
import type { Release, ReleaseSeries } from '../types.js';

export const fredObservationsSchema = z.object({
  observations: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), value: z.string() })),
});
const fredErrorSchema = z.object({ error_code: z.number(), error_message: z.string() });

export function fredProvider(options: Omit<HttpOptions, 'provider'> & { apiKey: string }): ProviderFetch {
  const http = createHttpClient({ concurrency: 2, minIntervalMs: 550, ...options, provider: 'fred' });
  return async (seriesId, from, to) => {
    const response = await http.get(
      '/series/observations',
      { series_id: seriesId, api_key: options.apiKey, file_type: 'json', observation_start: from, observation_end: to },
      seriesId,
    );
    return observationsOf(seriesId, response);
  };
}

/** FRED answers a refusal with {"error_code":400,"error_message":"..."}: its message is the reason shown. */
function refuseUnlessOk(response: AxiosResponse<string>, symbol: string): void {
  if (response.status === 200) return;
  const error = fredErrorSchema.safeParse(safeJson(response.data));
  throw new ProviderError('fred', symbol, `HTTP ${response.status}: ${error.success ? error.data.error_message : String(response.data).slice(0, 120)}`);
}

function observationsOf(seriesId: string, response: AxiosResponse<string>): RawPoint[] {
  refuseUnlessOk(response, seriesId);
  const body = parseBody('fred', seriesId, fredObservationsSchema, response.data);
  return body.observations.flatMap((o, i) => {
    if (o.value === '.') return [];
    const close = Number(o.value);
    if (!Number.isFinite(close)) throw new ProviderError('fred', seriesId, `observations.${i}.value: "${o.value}" is not a number`);
    return [{ date: o.date, close }];
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const fredReleaseDatesSchema = z.object({
  release_dates: z.array(z.object({ release_id: z.number().int(), release_name: z.string(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
});

/**
 * The releases a market wrap previews, by FRED release id, as readers name them. FRED lists upcoming
 * dates with include_release_dates_with_no_data=true.
 */
export const WATCHED_RELEASES: ReadonlyMap<number, string> = new Map([
  [10, 'the consumer price index'],
  [50, 'the jobs report'],
  [9, 'retail sales'],
  [53, 'GDP'],
  [54, 'personal income and spending, with the PCE price index'],
  [101, "the Fed's rate decision"],
]);

export type ReleaseCalendar = (from: string, to: string) => Promise<Array<{ date: string; name: string }>>;

export function fredReleaseCalendar(options: Omit<HttpOptions, 'provider'> & { apiKey: string }): ReleaseCalendar {
  const http = createHttpClient({ concurrency: 1, ...options, provider: 'fred' });
  return async (from, to) => {
    const response = await http.get(
      '/releases/dates',
      { api_key: options.apiKey, file_type: 'json', realtime_start: from, realtime_end: to, include_release_dates_with_no_data: 'true', sort_order: 'asc', limit: 1000 },
      'release calendar',
    );
    refuseUnlessOk(response, 'release calendar');
    const body = parseBody('fred', 'release calendar', fredReleaseDatesSchema, response.data);
    return body.release_dates
      .filter((r) => r.date >= from && r.date <= to && WATCHED_RELEASES.has(r.release_id))
      .map((r) => ({ date: r.date, name: WATCHED_RELEASES.get(r.release_id)! }))
      .filter((e, i, all) => all.findIndex((o) => o.date === e.date && o.name === e.name) === i);
  };
}

/**
 * The week behind's releases by FRED release id, and the series each publishes: the employment report
 * gives payrolls and the unemployment rate; GDP is BEA's annualized growth rate, not a level.
 */
export const RELEASE_SERIES: ReadonlyMap<number, readonly ReleaseSeries[]> = new Map([
  [10, ['CPIAUCSL']],
  [50, ['PAYEMS', 'UNRATE']],
  [9, ['RSAFS']],
  [53, ['A191RL1Q225SBEA']],
  [54, ['PCEPI']],
]);

/** A latest period further back than this from its release date is not that day's news (a quarter and its three estimates fit). */
const MAX_LAG_DAYS = 200;

/** `skipped` hears of each series FRED refused: the rest of the week behind is still told. */
export type FirstReleases = (from: string, to: string, skipped?: (reason: string) => void) => Promise<Release[]>;

/**
 * The releases FRED published between two dates, with the values as first published: the release
 * dates that have data (include_release_dates_with_no_data=false, so a date postponed by a shutdown is
 * not told), then each series as known that day (ALFRED: realtime_start = realtime_end = the release
 * date), so a later revision never rewrites what the data showed on the day.
 */
export function fredFirstReleases(options: Omit<HttpOptions, 'provider'> & { apiKey: string }): FirstReleases {
  const http = createHttpClient({ concurrency: 1, minIntervalMs: 550, ...options, provider: 'fred' });
  const asKnownOn = async (series: ReleaseSeries, date: string) => {
    const start = new Date(Date.parse(`${date}T00:00:00Z`) - 2 * MAX_LAG_DAYS * 86_400_000).toISOString().slice(0, 10);
    const params = { series_id: series, api_key: options.apiKey, file_type: 'json', realtime_start: date, realtime_end: date, observation_start: start };
    return observationsOf(series, await http.get('/series/observations', params, series));
  };
  // A series FRED refuses (no vintage of it that day) costs that series only; FRED unreachable costs all.
  const orSkip = async (series: ReleaseSeries, date: string, skipped?: (reason: string) => void): Promise<RawPoint[]> => {
    try {
      return await asKnownOn(series, date);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.unreachable || !skipped) throw error;
      skipped(error.message);
      return [];
    }
  };
  return async (from, to, skipped) => {
    const params = { api_key: options.apiKey, file_type: 'json', realtime_start: from, realtime_end: to, include_release_dates_with_no_data: 'false', sort_order: 'asc' };
    const response = await http.get('/releases/dates', { ...params, limit: 1000 }, 'release dates');
    refuseUnlessOk(response, 'release dates');
    const dates = parseBody('fred', 'release dates', fredReleaseDatesSchema, response.data).release_dates.filter((r) => r.date >= from && r.date <= to);
    const releases: Release[] = [];
    for (const { release_id, date } of dates) {
      for (const series of RELEASE_SERIES.get(release_id) ?? []) {
        const [previous, latest] = (await orSkip(series, date, skipped)).slice(-2);
        const lag = latest ? (Date.parse(date) - Date.parse(latest.date)) / 86_400_000 : Number.POSITIVE_INFINITY;
        if (previous && latest && lag <= MAX_LAG_DAYS) releases.push({ date, series, period: latest.date, value: latest.close, previous: previous.close });
      }
    }
    return releases;
  };
}
