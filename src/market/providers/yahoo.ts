/**
 * Yahoo Finance chart API v8 (no key). `timestamp` holds each session's open in UTC seconds: its
 * session date is the calendar date in `meta.exchangeTimezoneName`. Null closes are skipped, never
 * zeroed; a range with no data has no `timestamp` key.
 */
import { z } from 'zod';
import { createHttpClient, ProviderError, type HttpOptions } from '../http.js';
import type { RawPoint, ProviderFetch } from './provider.js';
import { parseBody } from './provider.js';

const quoteSchema = z.object({ close: z.array(z.number().nullable()).optional() });

export const yahooChartSchema = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z.object({ symbol: z.string(), exchangeTimezoneName: z.string() }),
          timestamp: z.array(z.number().int()).optional(),
          indicators: z.object({ quote: z.array(quoteSchema).min(1) }),
        }),
      )
      .nullable(),
    error: z.object({ code: z.string(), description: z.string().nullish() }).nullable(),
  }),
});

/** Yahoo answers rate limits with plain text; browsers get data, default clients get refused. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone (en-CA formats as YYYY-MM-DD). */
export function sessionDate(epochSeconds: number, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(new Date(epochSeconds * 1000));
}

export function yahooProvider(options: Omit<HttpOptions, 'provider'>): ProviderFetch {
  const http = createHttpClient({ concurrency: 4, minIntervalMs: 25, ...options, provider: 'yahoo', headers: { 'User-Agent': USER_AGENT, Accept: 'application/json' } });
  return async (symbol, from, to) => {
    const period1 = Math.floor(Date.parse(`${from}T00:00:00Z`) / 1000);
    const period2 = Math.floor(Date.parse(`${to}T23:59:59Z`) / 1000) + 86_400;
    const response = await http.get(`/v8/finance/chart/${encodeURIComponent(symbol)}`, { interval: '1d', period1, period2, events: 'history' }, symbol);
    if (response.status === 404) throw new ProviderError('yahoo', symbol, 'unknown symbol (HTTP 404): check the ticker in the config');
    if (response.status !== 200) throw new ProviderError('yahoo', symbol, `HTTP ${response.status}: ${String(response.data).slice(0, 120)}`);
    const body = parseBody('yahoo', symbol, yahooChartSchema, response.data);
    if (body.chart.error) throw new ProviderError('yahoo', symbol, `${body.chart.error.code}: ${body.chart.error.description ?? ''}`);
    const result = body.chart.result?.[0];
    if (!result) throw new ProviderError('yahoo', symbol, 'chart.result is empty');
    const timestamps = result.timestamp ?? [];
    const closes = result.indicators.quote[0]!.close ?? [];
    if (closes.length !== timestamps.length) {
      throw new ProviderError('yahoo', symbol, `indicators.quote[0].close has ${closes.length} values for ${timestamps.length} timestamps`);
    }
    const points: RawPoint[] = [];
    timestamps.forEach((ts, i) => {
      const close = closes[i];
      if (close === null || close === undefined) return;
      const date = sessionDate(ts, result.meta.exchangeTimezoneName);
      // Yahoo sometimes repeats today's bar with an intraday timestamp: keep the last value per date.
      if (points.at(-1)?.date === date) points[points.length - 1] = { date, close };
      else points.push({ date, close });
    });
    return points.filter((p) => p.date >= from && p.date <= to);
  };
}
