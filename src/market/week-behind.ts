/**
 * The week behind: the economic releases of the week just ended, with the values as first published,
 * from FRED (ALFRED vintages). Like the week ahead, any failure leaves it out with a note: an edition
 * never waits on, or breaks for, the economic calendar.
 */
import { addDays, weekday } from './calendar.js';
import { ProviderError } from './http.js';
import { fredFirstReleases, type FirstReleases } from './providers/fred.js';
import type { IsoDate, Release } from './types.js';
import type { WeekAheadSettings } from './week-ahead.js';

/** Monday of the week `asOf` closes, to `asOf`: the releases the edition's week saw. */
export function thisWeek(asOf: IsoDate): { from: IsoDate; to: IsoDate } {
  return { from: addDays(asOf, -((weekday(asOf) + 6) % 7)), to: asOf };
}

export async function fetchWeekBehind(settings: WeekAheadSettings, asOf: IsoDate, notes: string[], releases?: FirstReleases): Promise<Release[] | undefined> {
  const key = settings.FRED_API_KEY;
  const source = releases ?? (key ? fredFirstReleases({ baseURL: settings.FRED_BASE_URL, timeoutMs: settings.MARKET_TIMEOUT_MS, apiKey: key, retries: 1 }) : undefined);
  if (!source) {
    notes.push("the week behind is left out: FRED_API_KEY is not set (FRED publishes the releases' first values)");
    return undefined;
  }
  const { from, to } = thisWeek(asOf);
  try {
    return await source(from, to, (reason) => notes.push(`the week behind leaves a series out: ${reason}`));
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    notes.push(`the week behind is left out: ${error.message}`);
    return undefined;
  }
}
