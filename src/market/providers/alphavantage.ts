/**
 * Alpha Vantage TIME_SERIES_DAILY (ALPHAVANTAGE_API_KEY), a fallback for ETFs and stocks. Its rate
 * limit arrives as HTTP 200 with a `Note` or `Information` field instead of data: an error, never an
 * empty series. The free tier serves the latest 100 sessions (outputsize=compact).
 */
import { z } from 'zod';
import { createHttpClient, ProviderError, type HttpOptions } from '../http.js';
import { parseBody, type ProviderFetch } from './provider.js';

export const alphaVantageDailySchema = z.union([
  z.object({ 'Time Series (Daily)': z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.object({ '4. close': z.string() })) }),
  z.object({ Note: z.string() }),
  z.object({ Information: z.string() }),
  z.object({ 'Error Message': z.string() }),
]);

export function alphaVantageProvider(options: Omit<HttpOptions, 'provider'> & { apiKey: string }): ProviderFetch {
  // Free keys allow 5 requests a minute.
  const http = createHttpClient({ concurrency: 1, minIntervalMs: 12_500, ...options, provider: 'alphavantage' });
  return async (symbol, from, to) => {
    const response = await http.get('/query', { function: 'TIME_SERIES_DAILY', symbol, outputsize: 'compact', apikey: options.apiKey }, symbol);
    if (response.status !== 200) throw new ProviderError('alphavantage', symbol, `HTTP ${response.status}`);
    const body = parseBody('alphavantage', symbol, alphaVantageDailySchema, response.data);
    if ('Note' in body || 'Information' in body) {
      throw new ProviderError('alphavantage', symbol, `rate limited: ${'Note' in body ? body.Note : body.Information}`);
    }
    if ('Error Message' in body) throw new ProviderError('alphavantage', symbol, body['Error Message']);
    const series = body['Time Series (Daily)'];
    return Object.keys(series)
      .filter((date) => date >= from && date <= to)
      .sort()
      .map((date) => {
        const close = Number(series[date]!['4. close']);
        if (!Number.isFinite(close)) throw new ProviderError('alphavantage', symbol, `Time Series (Daily).${date}.4. close is not a number`);
        return { date, close };
      });
  };
}
