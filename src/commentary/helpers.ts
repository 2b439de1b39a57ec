/**
 * Handlebars helpers: how numbers read. Every helper formats a number computed in analysis and never
 * computes a new one; direction words come from the sign of the number they sit beside, so a
 * sentence cannot say "rose" of a fall.
 */
import type { HelperOptions } from 'handlebars';
import type { Window } from '../config/newsletter.js';
import type { Unit } from '../analysis/index.js';

export interface NameInfo {
  shortName: string;
  /** Index-like names read with an article ("the Dow"); sectors and stocks do not ("Financials"). */
  article: boolean;
  /** What the instrument stands for in a headline ("small caps"); falls back to its name. */
  theme?: string;
}

/** What helpers may read from the root context of every commentary template. */
export interface HelperRoot {
  names: Record<string, NameInfo>;
  locale: string;
  /** A running week number: templates may alternate phrasings with (odd @root.week). */
  week: number;
}

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

export function formatNumber(value: number, digits: number, locale = 'en-US', signed = false): string {
  return formatter(locale, digits, signed).format(value === 0 ? 0 : value);
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

/** A price level: index points with thousands separators, yields in percent, VIX to 0.1. */
export function formatLevel(value: number, unit: Unit, locale = 'en-US'): string {
  if (unit === 'bp') return `${formatNumber(value, 2, locale)}%`;
  return formatNumber(value, unit === 'pt' ? 1 : 2, locale);
}

/**
 * Size bands for direction verbs, per unit, for one week; longer windows scale them up because a
 * 3% month is ordinary where a 3% week is not.
 */
const BANDS: Record<Unit, [flat: number, small: number, medium: number, large: number]> = {
  pct: [0.05, 0.5, 2, 4],
  bp: [1, 5, 15, 30],
  pt: [0.2, 1, 3, 6],
};
const WINDOW_SCALE: Record<Window, number> = { '1W': 1, '1M': 2, '3M': 3.5, YTD: 5, '1Y': 5 };
const UP = ['was flat', 'edged up', 'rose', 'climbed', 'surged'] as const;
const DOWN = ['was flat', 'edged down', 'fell', 'slid', 'tumbled'] as const;
export const UP_VERBS: readonly string[] = UP.slice(1);
export const DOWN_VERBS: readonly string[] = DOWN.slice(1);

export function directionVerb(value: number, unit: Unit, window: Window = '1W'): string {
  const size = Math.abs(shown(value, unit));
  const scale = WINDOW_SCALE[window];
  const [flat, small, medium, large] = BANDS[unit].map((b) => b * scale) as [number, number, number, number];
  const band = size === 0 || size < flat ? 0 : size < small ? 1 : size < medium ? 2 : size < large ? 3 : 4;
  return (value > 0 ? UP : DOWN)[band]!;
}

/** "rose 1.2%", "tumbled 7.9%", "was flat": verb and number from one value. */
export function formatMove(value: number, unit: Unit, window: Window = '1W', locale = 'en-US'): string {
  const verb = directionVerb(value, unit, window);
  return verb === 'was flat' ? verb : `${verb} ${formatSize(value, unit, locale)}`;
}

const ORDINALS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth', 6: 'sixth', 7: 'seventh', 8: 'eighth', 9: 'ninth', 10: 'tenth', 11: 'eleventh', 12: 'twelfth' };

export const WINDOW_PHRASES: Record<Window, string> = {
  '1W': 'this week',
  '1M': 'over the past month',
  '3M': 'over the past three months',
  YTD: 'so far this year',
  '1Y': 'over the past year',
};

export const WINDOW_LABELS: Record<Window, string> = { '1W': 'Week', '1M': 'Month', '3M': '3 months', YTD: 'YTD', '1Y': '1 year' };

function rootOf(options: HelperOptions): HelperRoot {
  return options.data.root as HelperRoot;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function infoOf(symbol: string, root: HelperRoot): NameInfo {
  const info = root.names[symbol];
  if (!info) throw new Error(`no instrument named ${symbol}`);
  return info;
}

function nameOf(symbol: string, root: HelperRoot, capital: boolean): string {
  const info = infoOf(symbol, root);
  const text = info.article ? `the ${info.shortName}` : info.shortName;
  return capital ? capitalize(text) : text;
}

function themeOf(symbol: string, root: HelperRoot, capital: boolean): string {
  const theme = infoOf(symbol, root).theme;
  if (!theme) return nameOf(symbol, root, capital);
  return capital ? capitalize(theme) : theme;
}

/** "at or above" reads badly in prose: say where the level is. */
export function side(level: number, mark: number): string {
  return level > mark ? 'above' : level < mark ? 'below' : 'at';
}

/** "Financials (+4.1%), Industrials (+3.6%) and Materials (+3.3%)". */
function moverList(movers: Array<{ symbol: string; change: number }>, root: HelperRoot): string {
  const items = movers.map((m) => `${nameOf(m.symbol, root, false)} (${formatChange(m.change, 'pct', root.locale)})`);
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Registers the helpers on a Handlebars instance (each call site owns its instance). */
export function registerHelpers(hb: typeof import('handlebars')): void {
  const locale = (options: HelperOptions) => rootOf(options).locale;
  hb.registerHelper({
    the: (symbol: string, options: HelperOptions) => nameOf(symbol, rootOf(options), false),
    The: (symbol: string, options: HelperOptions) => nameOf(symbol, rootOf(options), true),
    theme: (symbol: string, options: HelperOptions) => themeOf(symbol, rootOf(options), false),
    Theme: (symbol: string, options: HelperOptions) => themeOf(symbol, rootOf(options), true),
    groupName: (group: string, options: HelperOptions) => {
      const text = group.replace(/-/g, ' ').replace(/^small cap/, 'small-cap');
      return options.hash['capital'] ? capitalize(text) : text;
    },
    side,
    change: (value: number, unit: Unit, options: HelperOptions) => formatChange(value, unit, locale(options)),
    size: (value: number, unit: Unit, options: HelperOptions) => formatSize(value, unit, locale(options)),
    level: (value: number, unit: Unit, options: HelperOptions) => formatLevel(value, unit, locale(options)),
    moved: (value: number, unit: Unit, window: Window, options: HelperOptions) => formatMove(value, unit, window, locale(options)),
    verb: (value: number, unit: Unit, window: Window) => directionVerb(value, unit, window),
    points: (value: number, options: HelperOptions) => {
      return `${formatNumber(Math.abs(shown(value, 'pct')), 1, locale(options))} points`;
    },
    period: (window: Window, options: HelperOptions) =>
      options.hash['capital'] ? capitalize(WINDOW_PHRASES[window]) : WINDOW_PHRASES[window],
    movers: (list: Array<{ symbol: string; change: number }>, options: HelperOptions) => moverList(list, rootOf(options)),
    date: (iso: string, options: HelperOptions) =>
      new Intl.DateTimeFormat(locale(options), { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`)),
    ordinal: (n: number) => ORDINALS[n] ?? `${n}th`,
    eq: (a: unknown, b: unknown) => a === b,
    odd: (n: number) => n % 2 === 1,
    /** The yield curve's own verbs: a wider long-minus-short spread steepens it. */
    curveVerb: (spreadChange: number) => (shown(spreadChange, 'bp') > 0 ? 'steepened' : shown(spreadChange, 'bp') < 0 ? 'flattened' : 'held steady'),
    defined: (value: unknown) => value !== undefined && value !== null,
    first: <T>(list: T[]) => list[0],
    gt: (a: number, b: number) => a > b,
    lt: (a: number, b: number) => a < b,
  });
}
