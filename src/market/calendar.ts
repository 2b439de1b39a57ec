/**
 * The NYSE trading calendar: which dates are sessions. Windows count sessions, so this decides every
 * return's base date. Dates are plain 'YYYY-MM-DD' strings (exchange-local), compared as strings.
 */
import type { IsoDate } from './types.js';

/** Unscheduled closures that no rule predicts (national mourning, storms, 9/11). */
export const SPECIAL_CLOSURES: ReadonlySet<string> = new Set([
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14', // September 11 attacks
  '2004-06-11', // President Reagan's funeral
  '2007-01-02', // President Ford's day of mourning
  '2012-10-29',
  '2012-10-30', // Hurricane Sandy
  '2018-12-05', // President G. H. W. Bush's day of mourning
  '2025-01-09', // President Carter's day of mourning
]);

const DAY_MS = 86_400_000;

export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return toIsoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

export function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Days since 1970-01-01 from the digits alone (no Date object): history walks call it per close. */
export function dayNumber(date: IsoDate): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The Monday that starts a date's ISO week, as a day number: two dates share a week when these agree. */
export function weekStartDay(date: IsoDate): number {
  const day = dayNumber(date);
  return day - ((((day + 3) % 7) + 7) % 7); // day 0 (1970-01-01) was a Thursday; days before it are negative
}

/** The n-th given weekday of a month (n = -1: the last). */
function nthWeekday(year: number, month: number, dow: number, n: number): IsoDate {
  if (n > 0) {
    const first = utc(year, month, 1).getUTCDay();
    return toIsoDate(utc(year, month, 1 + ((dow - first + 7) % 7) + (n - 1) * 7));
  }
  const last = utc(year, month + 1, 0);
  return toIsoDate(utc(year, month, last.getUTCDate() - ((last.getUTCDay() - dow + 7) % 7)));
}

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toIsoDate(utc(year, month, day));
}

/** A fixed-date holiday on a Saturday is observed Friday, on a Sunday the Monday after. */
function observed(date: IsoDate): IsoDate {
  const dow = weekday(date);
  return dow === 6 ? addDays(date, -1) : dow === 0 ? addDays(date, 1) : date;
}

const holidayCache = new Map<number, ReadonlySet<string>>();

/** NYSE full-day holidays of a year (regular rules plus the special closures). */
export function holidays(year: number): ReadonlySet<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const pad = (n: number) => String(n).padStart(2, '0');
  const fixed = (month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
  const days: string[] = [
    nthWeekday(year, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    addDays(easterSunday(year), -2), // Good Friday
    nthWeekday(year, 5, 1, -1), // Memorial Day
    observed(fixed(7, 4)), // Independence Day
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving
    observed(fixed(12, 25)), // Christmas
  ];
  // New Year's Day on a Saturday is not observed on the Friday before (NYSE Rule 7.2): Dec 31 trades.
  const newYear = fixed(1, 1);
  if (weekday(newYear) !== 6) days.push(observed(newYear));
  if (year >= 2022) days.push(observed(fixed(6, 19))); // Juneteenth, first observed in 2022
  for (const closure of SPECIAL_CLOSURES) if (closure.startsWith(`${year}-`)) days.push(closure);
  const set = new Set(days);
  holidayCache.set(year, set);
  return set;
}

/**
 * Days the NYSE trades but the bond market (SIFMA's recommendation) is closed: Columbus Day and
 * Veterans Day (observed on the Monday when it falls on a Sunday; a Saturday one closes nothing).
 */
export function bondOnlyHolidays(year: number): ReadonlySet<string> {
  const veterans = `${year}-11-11`;
  const dow = weekday(veterans);
  const days = [nthWeekday(year, 10, 1, 2)];
  if (dow === 0) days.push(addDays(veterans, 1));
  else if (dow !== 6) days.push(veterans);
  return new Set(days);
}

/** A day the Treasury market trades: yields have a close. */
export function isBondSession(date: IsoDate): boolean {
  return isSession(date) && !bondOnlyHolidays(Number(date.slice(0, 4))).has(date);
}

export function bondSessionOnOrBefore(date: IsoDate): IsoDate {
  let d = sessionOnOrBefore(date);
  while (!isBondSession(d)) d = sessionOnOrBefore(addDays(d, -1));
  return d;
}

export function isSession(date: IsoDate): boolean {
  const dow = weekday(date);
  if (dow === 0 || dow === 6) return false;
  return !holidays(Number(date.slice(0, 4))).has(date);
}

/** The last session on or before a date. */
export function sessionOnOrBefore(date: IsoDate): IsoDate {
  let d = date;
  while (!isSession(d)) d = addDays(d, -1);
  return d;
}

export function nextSession(date: IsoDate): IsoDate {
  let d = addDays(date, 1);
  while (!isSession(d)) d = addDays(d, 1);
  return d;
}

export function previousSession(date: IsoDate): IsoDate {
  return sessionOnOrBefore(addDays(date, -1));
}

/** Every session from `from` to `to`, both included. */
export function sessionsBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isSession(d)) out.push(d);
  return out;
}

/** The calendar date and wall-clock minutes in New York at an instant. */
export function newYorkTime(instant: Date): { date: IsoDate; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const CLOSE_MINUTES = 16 * 60;

/** The last session whose 16:00 close has passed at `now`: the newest close a run can rely on. */
export function lastCompletedSession(now: Date): IsoDate {
  const { date, minutes } = newYorkTime(now);
  if (isSession(date) && minutes >= CLOSE_MINUTES) return date;
  return previousSession(date);
}

/** The last session of a date's calendar week (Friday, or the day before a Friday holiday). */
export function lastSessionOfWeek(date: IsoDate): IsoDate {
  const sunday = addDays(date, 7 - (((weekday(date) + 6) % 7) + 1));
  return sessionOnOrBefore(sunday);
}

/**
 * The weekly edition's as-of date at `now`: the last session of the last calendar week whose last
 * session has closed. On a Tuesday that is the previous Friday, never "the week ending Monday".
 */
export function lastCompletedWeekEnd(now: Date): IsoDate {
  const latest = lastCompletedSession(now);
  return lastSessionOfWeek(latest) === latest ? latest : sessionOnOrBefore(addDays(latest, -(((weekday(latest) + 6) % 7) + 1)));
}

/** ISO-8601 week id of a date, e.g. 2026-W47: the edition id of the week that date closes. */
export function isoWeekId(date: IsoDate): string {
  const d = new Date(`${date}T00:00:00Z`);
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The anchor of a window ending at `asOf`: the calendar date the window looks back to. The return's
 * base is the last session on or before it. 1W is the Sunday before the as-of's calendar week (so the
 * base is the previous week's last session, whatever day the week ends on), 1M/3M/1Y the same day of
 * the month (clamped to the month's end), YTD the last day of the previous year.
 */
export function windowAnchor(asOf: IsoDate, window: '1W' | '1M' | '3M' | 'YTD' | '1Y'): IsoDate {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const monthsBack = (months: number) => {
    const target = utc(y, m - months, 1);
    const lastDay = utc(target.getUTCFullYear(), target.getUTCMonth() + 2, 0).getUTCDate();
    return toIsoDate(utc(target.getUTCFullYear(), target.getUTCMonth() + 1, Math.min(d, lastDay)));
  };
  switch (window) {
    case '1W':
      return addDays(asOf, -(((weekday(asOf) + 6) % 7) + 1));
    case '1M':
      return monthsBack(1);
    case '3M':
      return monthsBack(3);
    case '1Y':
      return monthsBack(12);
    case 'YTD':
      return `${y - 1}-12-31`;
  }
}
