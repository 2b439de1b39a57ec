/**
 * The words a realiser fills slots with, bound to the edition: names with their article, the period,
 * calibrated verbs with their figure (told once, through the ledger), levels and dates in the locale.
 * They are the Handlebars helpers' own functions, so a realised kind reads as its template did.
 */
import type { Window } from '../../config/primitives.js';
import { formatChange, formatDate, formatLevel, formatMonthYear, formatPoints, formatSize, shown, type Unit } from '../../shared/format.js';
import { aside, duration, type HelperRoot, movedText, nameOf, numberWord, onDay, ordinal, themeOf, windowPhrase } from '../helpers.js';

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function wordsOf(root: HelperRoot) {
  const { locale } = root;
  return {
    /** "the S&P 500", "Financials"; capitalised for a sentence's start. */
    the: (symbol: string) => nameOf(symbol, root, false),
    The: (symbol: string) => nameOf(symbol, root, true),
    theme: (symbol: string) => themeOf(symbol, root, false),
    Theme: (symbol: string) => themeOf(symbol, root, true),
    /** "names": "the Dow and the Nasdaq-100". */
    list: (symbols: readonly string[], capital = false) => {
      const items = symbols.map((s, i) => nameOf(s, root, i === 0 && capital));
      return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
    },
    period: (window: Window, capital = false) => (capital ? capitalize(windowPhrase(window, root.sessions)) : windowPhrase(window, root.sessions)),
    /** "rose 1.2%" the first time the figure of `sym` is told, "rose" after; without `sym`, always with its figure. */
    moved: (value: number, unit: Unit, window: Window, sym?: string) => movedText(root, value, unit, window, sym),
    /** The verb calibrated by `cal`'s usual move, always with its figure (not the ledger's: a day's move, say). */
    movedAs: (value: number, unit: Unit, window: Window, cal: string) => movedText(root, value, unit, window, undefined, cal),
    /** "up 1.2%", "down 0.7%" or "flat". */
    upDown: (value: number, unit: Unit) => (shown(value, unit) === 0 ? 'flat' : `${value > 0 ? 'up' : 'down'} ${formatSize(value, unit, locale)}`),
    aside: (symbol: string) => aside(symbol, root),
    points: (value: number) => formatPoints(value, locale),
    size: (value: number, unit: Unit) => formatSize(value, unit, locale),
    level: (value: number, unit: Unit) => formatLevel(value, unit, locale),
    change: (value: number, unit: Unit) => formatChange(value, unit, locale),
    date: (iso: string) => formatDate(iso, locale),
    monthYear: (iso: string) => formatMonthYear(iso, locale),
    onDay: (iso: string, capital = false) => onDay(iso, root, capital),
    duration,
    numberWord,
    ordinal,
  };
}
export type Words = ReturnType<typeof wordsOf>;
