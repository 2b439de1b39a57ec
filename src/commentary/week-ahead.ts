/**
 * The week ahead: next week's scheduled US releases and Fed decisions, by day. Told only from a
 * calendar the data source gave; no calendar, no section (never a guess).
 */
import { formatWeekday } from '../shared/format.js';
import type { CalendarEvent } from '../market/types.js';
import type { Section } from './compose.js';

const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** Two phrasings, turning with the week: a calendar that repeats still reads differently. */
const PHRASINGS = [(day: string, names: string) => `${day}: ${names}.`, (day: string, names: string) => `On ${day}, ${names}.`];

export function weekAheadSection(events: readonly CalendarEvent[], locale: string, week: number): Section | undefined {
  if (events.length === 0) return undefined;
  const byDay = new Map<string, string[]>();
  for (const e of [...events].sort((a, b) => a.date.localeCompare(b.date))) byDay.set(e.date, [...(byDay.get(e.date) ?? []), e.name]);
  const phrase = PHRASINGS[week % PHRASINGS.length]!;
  const days = [...byDay].map(([date, names]) => phrase(formatWeekday(date, locale), list(names)));
  return { topic: 'week-ahead', title: 'The week ahead', paragraphs: [days.join(' ')], signalIds: ['week-ahead'] };
}
