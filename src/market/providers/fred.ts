/**
 * FRED series observations (FRED_API_KEY). JSON must be asked for (file_type=json); `value` is a
 * string and "." marks a day without an observation (a bond-market holiday).
 */
import { z } from 'zod';
import { createHttpClient, ProviderError, type HttpOptions } from '../http.js';
import { parseBody, type ProviderFetch } from './provider.js';

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
    if (response.status !== 200) {
      const error = fredErrorSchema.safeParse(safeJson(response.data));
      throw new ProviderError('fred', seriesId, `HTTP ${response.status}: ${error.success ? error.data.error_message : String(response.data).slice(0, 120)}`);
    }
    const body = parseBody('fred', seriesId, fredObservationsSchema, response.data);
    return body.observations.flatMap((o, i) => {
      if (o.value === '.') return [];
      const close = Number(o.value);
      if (!Number.isFinite(close)) throw new ProviderError('fred', seriesId, `observations.${i}.value: "${o.value}" is not a number`);
      return [{ date: o.date, close }];
    });
  };
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
    if (response.status !== 200) {
      const error = fredErrorSchema.safeParse(safeJson(response.data));
      throw new ProviderError('fred', 'release calendar', `HTTP ${response.status}: ${error.success ? error.data.error_message : String(response.data).slice(0, 120)}`);
    }
    const body = parseBody('fred', 'release calendar', fredReleaseDatesSchema, response.data);
    return body.release_dates
      .filter((r) => r.date >= from && r.date <= to && WATCHED_RELEASES.has(r.release_id))
      .map((r) => ({ date: r.date, name: WATCHED_RELEASES.get(r.release_id)! }))
      .filter((e, i, all) => all.findIndex((o) => o.date === e.date && o.name === e.name) === i);
  };
}
