/**
 * The list's figures for `marketwrap stats` and the web desk, read from the summaries the database
 * keeps as things change (never a count over the list or the ledger per call): subscribers by status,
 * joins and leaves per ISO week, and each sent edition's results.
 */
import type { SubscriberDayRow } from '../db/types.js';
import { addDays, isoWeekId, toIsoDate, weekday } from '../market/calendar.js';
import type { IsoDate } from '../market/types.js';
import { type DeskDeps, listEditions } from './editions.js';
import type { DeskStats, WeekFigures } from './schemas.js';

/** The Monday `weeks - 1` weeks before the week of `today`: where a span of `weeks` ISO weeks starts. */
export function spanStart(today: IsoDate, weeks: number): IsoDate {
  return addDays(today, -((weekday(today) + 6) % 7) - 7 * (weeks - 1));
}

/** Days summed into ISO weeks, every week from `from` (a Monday) to `today`'s, 0 where nothing happened. */
export function weeksFromDays(days: readonly SubscriberDayRow[], from: IsoDate, today: IsoDate): WeekFigures[] {
  const weeks = new Map<string, WeekFigures>();
  for (let monday = from; monday <= today; monday = addDays(monday, 7)) {
    const week = isoWeekId(monday);
    weeks.set(week, { week, joins: 0, leaves: 0 });
  }
  for (const day of days) {
    const figures = weeks.get(isoWeekId(day.day));
    if (!figures) continue;
    figures.joins += Number(day.joins);
    figures.leaves += Number(day.leaves);
  }
  return [...weeks.values()];
}

export async function deskStats(deps: DeskDeps, options: { weeks?: number } = {}): Promise<DeskStats> {
  const today = toIsoDate(deps.clock());
  const from = spanStart(today, options.weeks ?? 12);
  const [subscribers, days, editions] = await Promise.all([deps.store.subscriberCounts(), deps.store.subscriberDays(from), listEditions(deps)]);
  return {
    subscribers,
    weeks: weeksFromDays(days, from, today),
    editions: editions.flatMap((e) => (e.results ? [{ id: e.id, subject: e.subject, sentAt: e.sentAt, state: e.state, results: e.results }] : [])),
  };
}
