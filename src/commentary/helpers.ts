/**
 * How the numbers read in prose, for the realisers (./realise/words.ts binds them to an edition). Every
 * function formats a number computed in analysis and never computes a new one; direction words come
 * from the sign of the number they sit beside, so a sentence cannot say "rose" of a fall. The root's
 * `stated` ledger makes each figure appear once per edition: the second mention of a move keeps its
 * verb and drops its number.
 */
import type { Window } from '../config/primitives.js';
import { fnv1a } from '../shared/hash.js';
import { formatChange, formatDate, formatSize, formatWeekday, shown, type Unit } from '../shared/format.js';

export interface NameInfo {
  shortName: string;
  /** Index-like names read with an article ("the Dow"); sectors and stocks do not ("Financials"). */
  article: boolean;
  /** What the instrument stands for in a headline ("small caps"); falls back to its name. */
  theme?: string;
  /** An aside for its first mention ("the bond market's read of the Fed's path"). */
  gloss?: string;
  /** What it becomes when said again in a paragraph ("the index", "the yield"); none: its name again. */
  later?: string;
}

/** What helpers may read from the root context of every commentary template. */
export interface HelperRoot {
  names: Record<string, NameInfo>;
  locale: string;
  /** A running week number: phrasing turns with it, so consecutive weeks never repeat a sentence. */
  week: number;
  /** The edition's last session and the first session of its week. */
  asOf: string;
  weekStart: string;
  /** Sessions in the edition's week (4 in a holiday week). */
  sessions: number;
  /** Each instrument's usual weekly move, which calibrates its verbs. */
  usual: Record<string, number | undefined>;
  /** Each instrument's base date per window: a figure is one instrument's change from one base. */
  bases: Record<string, Partial<Record<Window, string>>>;
  /** Figures and facts already told in this scope. */
  stated: Set<string>;
  /** Does this scope tell each figure once (prose), or every time it is named (a headline)? */
  tellOnce: boolean;
  /** Is the signal being told the one the headline told? Then its sentence adds, not repeats. */
  headlineTold: boolean;
}

/**
 * Verbs by size band (small, usual, large, very large) and direction; several per band for variety.
 * Bands are measured against the instrument's own usual move when known.
 */
const VERBS = {
  up: [
    ['edged up', 'inched up', 'ticked up'],
    ['rose', 'gained', 'advanced'],
    ['climbed', 'jumped', 'rallied'],
    ['surged', 'soared'],
  ],
  down: [
    ['edged down', 'slipped', 'dipped'],
    ['fell', 'declined', 'lost'],
    ['slid', 'dropped', 'sank'],
    ['tumbled', 'plunged'],
  ],
} as const;
/** A rally is a price word: yields and the VIX climb or jump. */
const PRICE_ONLY: ReadonlySet<string> = new Set(['rallied']);
export const UP_VERBS: readonly string[] = VERBS.up.flat();
export const DOWN_VERBS: readonly string[] = VERBS.down.flat();
const FLAT = 'was little changed';

/** Fixed bands per unit for one week when the usual move is unknown. */
const BANDS: Record<Unit, [small: number, medium: number, large: number]> = { pct: [0.5, 2, 4], bp: [5, 15, 30], pt: [1, 3, 6] };
/** Bands in multiples of the usual move for the window. */
const Z_BANDS: [number, number, number] = [0.3, 1.1, 2.2];
const WEEKS: Record<Window, number> = { '1W': 1, '1M': 4.33, '3M': 13, YTD: 26, '1Y': 52 };

export function pick<T>(choices: readonly T[], week: number, key: string): T {
  return choices[(week + fnv1a(key)) % choices.length]!;
}

export function sizeBand(value: number, unit: Unit, window: Window, usualWeekly: number | undefined): 0 | 1 | 2 | 3 {
  const size = Math.abs(shown(value, unit));
  const [small, medium, large] = usualWeekly ? Z_BANDS.map((z) => z * usualWeekly * Math.sqrt(WEEKS[window])) : BANDS[unit].map((b) => b * Math.sqrt(WEEKS[window]));
  return size < small! ? 0 : size < medium! ? 1 : size < large! ? 2 : 3;
}

export function directionVerb(value: number, unit: Unit, window: Window, usualWeekly: number | undefined, week: number, key: string): string {
  if (shown(value, unit) === 0) return FLAT;
  const band = VERBS[value > 0 ? 'up' : 'down'][sizeBand(value, unit, window, usualWeekly)];
  const choices = unit === 'pct' ? band : band.filter((v) => !PRICE_ONLY.has(v));
  return pick(choices, week, key);
}

/** "an 8.8% loss", "an 11.2% gain", "a 1.8% gain": the article a figure takes, by how it is said. */
export const articleFor = (figure: string): 'a' | 'an' => (/^(?:8|1[18](?![\d,]))/.test(figure) ? 'an' : 'a');

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const ORDINALS = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];
export const numberWord = (n: number): string => NUMBER_WORDS[n] ?? String(n);
export const ordinal = (n: number): string => ORDINALS[n] ?? `${n}th`;

/** "this week", or "in the four-session week" when a holiday shortened it. */
export function weekPhrase(sessions: number): string {
  return sessions >= 5 ? 'this week' : `in the ${numberWord(sessions)}-session week`;
}

const WINDOW_PHRASES: Record<Exclude<Window, '1W'>, string> = {
  '1M': 'over the past month',
  '3M': 'over the past three months',
  YTD: 'so far this year',
  '1Y': 'over the past year',
};
export const windowPhrase = (window: Window, sessions: number): string => (window === '1W' ? weekPhrase(sessions) : WINDOW_PHRASES[window]);

/** "two years", "18 months", "three weeks": how long a record stood, in words a reader uses. */
export function duration(fromIso: string, toIso: string): string {
  const days = (Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000;
  const plural = (n: number, unit: string) => `${numberWord(n)} ${unit}${n === 1 ? '' : 's'}`;
  if (days >= 365.25 * 2) return plural(Math.floor(days / 365.25), 'year');
  if (days >= 365.25) return 'more than a year';
  if (days >= 61) return plural(Math.floor(days / 30.44), 'month');
  return plural(Math.max(1, Math.floor(days / 7)), 'week');
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function infoOf(symbol: string, root: Pick<HelperRoot, 'names'>): NameInfo {
  const info = root.names[symbol];
  if (!info) throw new Error(`no instrument named ${symbol}`);
  return info;
}

export function nameOf(symbol: string, root: Pick<HelperRoot, 'names'>, capital: boolean): string {
  const info = infoOf(symbol, root);
  const text = info.article && !info.shortName.startsWith('the ') ? `the ${info.shortName}` : info.shortName;
  return capital ? capitalize(text) : text;
}

export function themeOf(symbol: string, root: Pick<HelperRoot, 'names'>, capital: boolean): string {
  const theme = infoOf(symbol, root).theme;
  if (!theme) return nameOf(symbol, root, capital);
  return capital ? capitalize(theme) : theme;
}

/** "at or above" reads badly in prose: say where the level is. */
export function side(level: number, mark: number): string {
  return level > mark ? 'above' : level < mark ? 'below' : 'at';
}

/** "Financials (+4.1%), Industrials (+3.6%) and Materials (+3.3%)". */
export function moverList(movers: ReadonlyArray<{ symbol: string; change: number }>, root: Pick<HelperRoot, 'names' | 'locale'>): string {
  const items = movers.map((m) => `${nameOf(m.symbol, root, false)} (${formatChange(m.change, 'pct', root.locale)})`);
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** sym: the instrument whose figure this is (calibrates the verb, told once); cal: calibration only. */
export function movedText(root: HelperRoot, value: number, unit: Unit, window: Window, sym?: string, calibrate?: string): string {
  const cal = calibrate ?? sym;
  const verb = directionVerb(value, unit, window, cal ? root.usual[cal] : undefined, root.week, `${window}:${value.toFixed(4)}`);
  if (verb === FLAT) return verb;
  const key = sym && root.tellOnce ? figureKey(root, sym, window) : undefined;
  if (key && root.stated.has(key)) return INTRANSITIVE[verb] ?? verb;
  if (key) root.stated.add(key);
  return `${verb} ${formatSize(value, unit, root.locale)}`;
}

/** The ledger key of a change: the month and the year to date from the same close are one figure. */
export function figureKey(root: Pick<HelperRoot, 'bases'>, sym: string, window: Window): string {
  return `move:${sym}:${root.bases[sym]?.[window] ?? window}`;
}

/** Without its number a verb must stand alone: "the S&P 500 fell", not "the S&P 500 lost". */
const INTRANSITIVE: Record<string, string> = { lost: 'fell', gained: 'rose' };

/** "on Wednesday" inside the edition's week, "on October 8, 2008" outside it. */
export function onDay(iso: string, root: Pick<HelperRoot, 'weekStart' | 'asOf' | 'locale'>, capital = false): string {
  const on = capital ? 'On' : 'on';
  return iso > root.weekStart && iso <= root.asOf ? `${on} ${formatWeekday(iso, root.locale)}` : `${on} ${formatDate(iso, root.locale)}`;
}

/** ", the bond market's read of the Fed's path," at an instrument's first mention, if it has a gloss. */
export function aside(symbol: string, root: HelperRoot): string {
  const gloss = infoOf(symbol, root).gloss;
  if (!gloss || root.stated.has(`gloss:${symbol}`)) return '';
  if (root.tellOnce) root.stated.add(`gloss:${symbol}`);
  return `, ${gloss},`;
}

/** "small-cap sectors", "Sectors": a group's name in prose. */
export function groupName(group: string, capital = false): string {
  const text = group.replace(/-/g, ' ').replace(/^small cap/, 'small-cap');
  return capital ? capitalize(text) : text;
}

/** The yield curve's own verbs: a wider long-minus-short spread steepens it. */
export const curveVerb = (spreadChange: number): string => (shown(spreadChange, 'bp') > 0 ? 'steepened' : shown(spreadChange, 'bp') < 0 ? 'flattened' : 'held steady');
