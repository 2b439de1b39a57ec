/**
 * How numbers and dates read, everywhere (prose, table, charts, studio, web): one definition each.
 * Formatting never computes a new figure; it rounds the one it is given.
 */
import type { Window } from '../config/primitives.js';

export type Unit = 'pct' | 'bp' | 'pt';

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: string, digits: number, signed: boolean): Intl.NumberFormat {
  const key = `${locale}:${digits}:${signed}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'auto' });
    formatters.set(key, f);
  }
  return f;
}

/** Digits shown per unit: percent to 0.1, basis points whole, volatility points to 0.1. */
export const DIGITS: Record<Unit, number> = { pct: 1, bp: 0, pt: 1 };

/** Rounds as the email shows it, and folds -0 into 0 so signs never disagree with digits. */
export function shown(value: number, unit: Unit): number {
  const r = Number(value.toFixed(DIGITS[unit]));
  return Object.is(r, -0) ? 0 : r;
}

/** Negative figures carry the true minus sign (U+2212), as print does: a hyphen reads as a dash. */
export function formatNumber(value: number, digits: number, locale = 'en-US', signed = false): string {
  return formatter(locale, digits, signed)
    .format(value === 0 ? 0 : value)
    .replace('-', '\u2212');
}

/** "+1.2%", "-14 bp", "+3.2 pts": the signed change in its unit, as tables show it. */
export function formatChange(value: number, unit: Unit, locale = 'en-US'): string {
  const n = formatNumber(shown(value, unit), DIGITS[unit], locale, true);
  return unit === 'pct' ? `${n}%` : unit === 'bp' ? `${n} bp` : `${n} pts`;
}

/** The unsigned size of a change, as prose states it: "1.2%", "14 basis points", "3.2 points". */
export function formatSize(value: number, unit: Unit, locale = 'en-US'): string {
  const size = Math.abs(shown(value, unit));
  const n = formatNumber(size, DIGITS[unit], locale);
  if (unit === 'pct') return `${n}%`;
  const noun = unit === 'bp' ? 'basis point' : 'point';
  return `${n} ${noun}${n === '1' ? '' : 's'}`;
}

/** A gap between two returns in percentage points: "5.1 points". */
export function formatPoints(value: number, locale = 'en-US'): string {
  // A gap between two percentage returns: "points" alone would read as index points.
  const size = formatNumber(Math.abs(shown(value, 'pct')), 1, locale);
  return `${size} percentage ${size === formatNumber(1, 1, locale) ? 'point' : 'points'}`;
}

/** A price level: index points with thousands separators, yields in percent, VIX to 0.1. */
export function formatLevel(value: number, unit: Unit, locale = 'en-US'): string {
  if (unit === 'bp') return `${formatNumber(value, 2, locale)}%`;
  return formatNumber(value, unit === 'pt' ? 1 : 2, locale);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    dateFormats.set(key, f);
  }
  return f;
}
const utcDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** "October 10, 2008". */
export function formatDate(iso: string, locale = 'en-US'): string {
  return dateFormat(locale, { month: 'long', day: 'numeric', year: 'numeric' }).format(utcDate(iso));
}

/** "October 2008". */
export function formatMonthYear(iso: string, locale = 'en-US'): string {
  return dateFormat(locale, { month: 'long', year: 'numeric' }).format(utcDate(iso));
}

/** "Wednesday". */
export function formatWeekday(iso: string, locale = 'en-US'): string {
  return dateFormat(locale, { weekday: 'long' }).format(utcDate(iso));
}

export const WINDOW_LABELS: Record<Window, string> = { '1W': 'Week', '1M': 'Month', '3M': '3 months', YTD: 'YTD', '1Y': '1 year' };
