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
