/**
 * Next week's calendar for "The week ahead": scheduled US releases and Fed decisions from FRED's
 * release calendar. Any failure leaves the calendar empty with a note: the email then says nothing
 * about the week ahead rather than something wrong.
 */
import { addDays, weekday } from './calendar.js';
import { ProviderError } from './http.js';
import { fredReleaseCalendar, WATCHED_RELEASES, type ReleaseCalendar } from './providers/fred.js';
import type { CalendarEvent, IsoDate } from './types.js';

/** Monday to Friday of the calendar week after the one `asOf` closes. */
export function nextWeek(asOf: IsoDate): { from: IsoDate; to: IsoDate } {
  const from = addDays(asOf, 8 - (((weekday(asOf) + 6) % 7) + 1));
  return { from, to: addDays(from, 4) };
}

/** A fixed demo calendar (the consumer price index on Wednesday, retail sales on Thursday), for demo data only. */
export function demoWeekAhead(asOf: IsoDate): CalendarEvent[] {
  const { from } = nextWeek(asOf);
  return [
    { date: addDays(from, 2), name: WATCHED_RELEASES.get(10)! },
    { date: addDays(from, 3), name: WATCHED_RELEASES.get(9)! },
  ];
}

export interface WeekAheadSettings {
  FRED_BASE_URL: string;
  FRED_API_KEY?: string | undefined;
  MARKET_TIMEOUT_MS: number;
}

export async function fetchWeekAhead(settings: WeekAheadSettings, asOf: IsoDate, notes: string[], calendar?: ReleaseCalendar): Promise<CalendarEvent[]> {
  const source =
    calendar ??
    (settings.FRED_API_KEY
      ? fredReleaseCalendar({ baseURL: settings.FRED_BASE_URL, timeoutMs: settings.MARKET_TIMEOUT_MS, apiKey: settings.FRED_API_KEY, retries: 1 })
      : undefined);
  if (!source) {
    notes.push('the week ahead is left out: FRED_API_KEY is not set (FRED publishes the release calendar)');
    return [];
  }
  const { from, to } = nextWeek(asOf);
  try {
    return await source(from, to);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    notes.push(`the week ahead is left out: ${error.message}`);
    return [];
  }
}
