/**
 * The week behind: the economic releases of the week just ended, each told as a fact beside the
 * market's move that day ("Consumer prices fell 0.1% in June, data on Thursday showed; the 2-year yield
 * fell 11 basis points that day"), never as its cause. Planning is pure: the releases' first-published
 * values and the closes in, typed facts out; the words are frames in templates/commentary/week-behind.hbs.
 */
import { formatNumber, formatSize, formatWeekday, shown } from '../../shared/format.js';
import { addDays, weekday } from '../../market/calendar.js';
import type { IsoDate, Release, Series } from '../../market/types.js';
import type { Section } from '../compose.js';
import { type NameInfo, pick } from '../helpers.js';
import { type Frames, loadFrames, say } from '../frames.js';

export type ReleaseKind = 'cpi' | 'pce' | 'retail-sales' | 'jobs' | 'gdp';

/** A market's move over one session, from its closes: basis points for a yield, percent otherwise. */
export interface SessionMove {
  symbol: string;
  change: number;
  unit: 'pct' | 'bp';
}

/** One release as the edition tells it; every figure derives from values known on its release date. */
export interface ReleaseFact {
  kind: ReleaseKind;
  date: IsoDate;
  period: IsoDate;
  /** Month-over-month percent (cpi, pce, retail-sales), the payrolls change in thousands (jobs), annualized percent (gdp). */
  change: number;
  /** The unemployment rate of the jobs report and the month before, as published together. */
  jobless?: { rate: number; previous: number };
  /** The market's move on the release day; absent when no configured market closed that day. */
  move?: SessionMove;
}

/** What reads each release, and the market told beside it: rate-sensitive data beside the 2-year yield. */
const READS: ReadonlyArray<{ kind: ReleaseKind; series: Release['series']; markets: readonly string[] }> = [
  { kind: 'cpi', series: 'CPIAUCSL', markets: ['DGS2', '^GSPC'] },
  { kind: 'pce', series: 'PCEPI', markets: ['DGS2', '^GSPC'] },
  { kind: 'jobs', series: 'PAYEMS', markets: ['DGS2', '^GSPC'] },
  { kind: 'retail-sales', series: 'RSAFS', markets: ['^GSPC', 'DGS2'] },
  { kind: 'gdp', series: 'A191RL1Q225SBEA', markets: ['^GSPC', 'DGS2'] },
];

/** The session's change from the close before it, or nothing when the market did not close that day. */
export function sessionMove(series: Pick<Series, 'symbol' | 'kind' | 'points'>, date: IsoDate): SessionMove | undefined {
  const i = series.points.findIndex((p) => p.date === date);
  if (i < 1) return undefined;
  const [before, close] = [series.points[i - 1]!.close, series.points[i]!.close];
  return series.kind === 'rate'
    ? { symbol: series.symbol, change: (close - before) * 100, unit: 'bp' }
    : { symbol: series.symbol, change: (close / before - 1) * 100, unit: 'pct' };
}

/** A release's own figure: month-over-month percent from index or dollar levels, the payrolls change, or BEA's growth rate itself. */
function changeOf(kind: ReleaseKind, release: Release): number {
  if (kind === 'gdp') return release.value;
  if (kind === 'jobs') return release.value - release.previous;
  return (release.value / release.previous - 1) * 100;
}

/**
 * The releases published in the week `asOf` closes (Monday to `asOf`; others are not this edition's),
 * in date order, each with its market's move that day. A day's move is told once, with its first release.
 */
export function planWeekBehind(releases: readonly Release[], series: ReadonlyArray<Pick<Series, 'symbol' | 'kind' | 'points'>>, asOf: IsoDate): ReleaseFact[] {
  const monday = addDays(asOf, -((weekday(asOf) + 6) % 7));
  const inWeek = releases.filter((r) => r.date >= monday && r.date <= asOf);
  const facts: ReleaseFact[] = [];
  const movedDays = new Set<string>();
  for (const read of READS) {
    for (const release of inWeek.filter((r) => r.series === read.series)) {
      const unrate = read.kind === 'jobs' ? inWeek.find((r) => r.series === 'UNRATE' && r.date === release.date && r.period === release.period) : undefined;
      const change = changeOf(read.kind, release);
      // The jobs report is payrolls with the unemployment rate; a level of zero has no percent change.
      if ((read.kind === 'jobs' && !unrate) || !Number.isFinite(change)) continue;
      const jobless = unrate ? { jobless: { rate: unrate.value, previous: unrate.previous } } : {};
      facts.push({ kind: read.kind, date: release.date, period: release.period, change, ...jobless, move: moveOn(read.markets, series, release.date) });
    }
  }
  facts.sort((a, b) => a.date.localeCompare(b.date));
  return facts.map((f) => {
    if (!f.move) return f;
    if (!movedDays.has(f.date)) {
      movedDays.add(f.date);
      return f;
    }
    const { move: _told, ...rest } = f;
    return rest;
  });
}

/** A market's day the body already told (the week's biggest day) is not told again beside a release. */
export function withoutToldDays(facts: readonly ReleaseFact[], told: ReadonlyArray<{ symbol: string; date: string }>): ReleaseFact[] {
  return facts.map((f) => {
    if (!f.move || !told.some((d) => d.symbol === f.move!.symbol && d.date === f.date)) return f;
    const { move: _told, ...rest } = f;
    return rest;
  });
}

function moveOn(markets: readonly string[], series: ReadonlyArray<Pick<Series, 'symbol' | 'kind' | 'points'>>, date: IsoDate): SessionMove | undefined {
  for (const symbol of markets) {
    const found = series.find((s) => s.symbol === symbol);
    const move = found && sessionMove(found, date);
    if (move) return move;
  }
  return undefined;
}

// --- Realisation -----------------------------------------------------------------------------------

/** The week behind's frames and the slots each takes (templates/commentary/week-behind.hbs). */
const SPEC = {
  title: [],
  cpi: ['changed', 'month'],
  pce: ['changed', 'month'],
  'retail-sales': ['changed', 'month'],
  jobs: ['payrolls', 'month', 'jobless'],
  gdp: ['growth', 'quarter'],
  move: ['name', 'changed'],
  told: ['Fact', 'fact', 'weekday', 'move'],
  'told-alone': ['Fact', 'fact', 'weekday'],
} as const;
export type WeekBehindFrames = Frames<typeof SPEC>;

export const loadWeekBehindFrames = (dir: string): WeekBehindFrames => loadFrames(dir, 'week-behind', SPEC);

const MONTH = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
const QUARTERS = ['first', 'second', 'third', 'fourth'];
/** "an 8.2%", "an 11.0%", "an 18.1%", "a 2.8%": the article follows how the figure is read aloud. */
const article = (figure: string) => (/^(8|1[18](?![\d,]))/.test(figure) ? 'an' : 'a');
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** Direction words from the sign of the figure as shown, so a release that rounds to 0.0% "held steady". */
function slotsOf(fact: ReleaseFact, locale: string): Record<string, string> {
  const pct = (value: number, up: string, down: string, flat: string) => (shown(value, 'pct') === 0 ? flat : `${value > 0 ? up : down} ${formatSize(value, 'pct', locale)}`);
  const jobs = Math.round(fact.change) * 1000;
  const growth = formatSize(fact.change, 'pct', locale);
  const rate = fact.jobless;
  return {
    month: MONTH(fact.period, locale),
    quarter: `${QUARTERS[Math.floor((Number(fact.period.slice(5, 7)) - 1) / 3)]} quarter`,
    changed: pct(fact.change, 'rose', 'fell', 'held steady'),
    growth: shown(fact.change, 'pct') === 0 ? 'did not grow' : `${fact.change > 0 ? 'grew' : 'shrank'} at ${article(growth)} ${growth} annual rate`,
    payrolls: jobs === 0 ? 'added no jobs' : `${jobs > 0 ? 'added' : 'cut'} ${formatNumber(Math.abs(jobs), 0, locale)} jobs`,
    jobless: !rate ? '' : `${rate.rate === rate.previous ? 'held at' : rate.rate > rate.previous ? 'rose to' : 'fell to'} ${formatNumber(rate.rate, 1, locale)}%`,
  };
}

function moveText(move: SessionMove, frames: WeekBehindFrames, names: Record<string, NameInfo>, locale: string, week: number): string {
  const info = names[move.symbol];
  const name = info ? (info.article ? `the ${info.shortName}` : info.shortName) : move.symbol;
  const changed = shown(move.change, move.unit) === 0 ? 'was unchanged' : `${move.change > 0 ? 'rose' : 'fell'} ${formatSize(move.change, move.unit, locale)}`;
  return say(frames, 'move', week, move.symbol, { name, changed });
}

export interface WeekBehindContext {
  names: Record<string, NameInfo>;
  locale: string;
  /** The running week number: the phrasing turns with it. */
  week: number;
}

/** The week behind as a section of its own, one sentence per release, or nothing without releases. */
export function weekBehindSection(facts: readonly ReleaseFact[], frames: WeekBehindFrames, { names, locale, week }: WeekBehindContext): Section | undefined {
  if (facts.length === 0) return undefined;
  const sentences = facts.map((fact, i) => {
    const Fact = pick(frames.phrasings[fact.kind], week, fact.kind)(slotsOf(fact, locale));
    const slots = { Fact, fact: lowerFirst(Fact), weekday: formatWeekday(fact.date, locale) };
    // Sentence shapes alternate within the edition, so two releases never read alike.
    if (!fact.move) return say(frames, 'told-alone', week + i, 'told-alone', slots);
    return say(frames, 'told', week + i, 'told', { ...slots, move: moveText(fact.move, frames, names, locale, week) });
  });
  const title = say(frames, 'title', week, 'title', {});
  return { topic: 'week-behind', title, paragraphs: [sentences.join(' ').replace(/\s+/g, ' ').trim()], signalIds: ['week-behind'] };
}
