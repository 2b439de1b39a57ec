/**
 * The broad market's week: the move with its figure (told once), the close (told once), a notable week
 * against its past, the year to date when the week turned it (told once, one figure with the month's),
 * and where the market stands in a bear market or a correction (told once per instrument: a regime
 * crossing's lede reads the same ledger). When the headline told the week, the lede adds the close.
 */
import { sayNth } from '../frames.js';
import { tellFirst } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const ranked = ['bestWorst', 'rank'] as const;
const closed = ['Name', 'name', 'level'] as const;
const spec = {
  title: [],
  best: [],
  worst: [],
  'rank.since': ['date'],
  'rank.short.since': ['month'],
  'rank.record': [],
  'rank.from': ['month'],
  'headline.rank': ['Name', ...ranked],
  'headline.rank.moved': ['Name', 'moved', ...ranked],
  'headline.moved': ['Name', 'moved', 'period'],
  'headline.ends': ['Name', 'upDown'],
  lede: ['Name', 'name', 'moved', 'Period', 'period', 'close', 'notable'],
  close: ['level'],
  notable: [...ranked],
  'lede.close.rank': [...closed, ...ranked],
  'lede.close.year': [...closed, 'year'],
  year: ['upDown'],
  'lede.close.standing': [...closed, 'phase', 'fromPeak', 'peakDate'],
  'lede.close.up': [...closed],
  'lede.close.down': [...closed],
  'a.bear': [],
  'a.correction': [],
  'year.turned': ['Name', 'name', 'sign', 'upDown'],
  'turned.up': [],
  'turned.down': [],
  'year.now': ['Name', 'name', 'upDown'],
  'standing.bear': [],
  'standing.correction': [],
  standing: ['Name', 'phase', 'day', 'fromPeak', 'peakDate', 'peak'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'market'>;

/** The last week as good (or as bad): a date, "on record", or "since at least" the history's first month. */
export const rankOf = (s: Pick<Signal, 'rank'>): 'since' | 'record' | 'from' => (s.rank.since ? 'since' : s.rank.onRecord ? 'record' : 'from');

/** "its best week since the week ending March 1, 2024"; short (a headline's), "since March 2024". */
function rankWords(s: Signal, { frames }: Ctx, w: Words, short: boolean): { bestWorst: string; rank: string } {
  const bestWorst = sayNth(frames, s.best ? 'best' : 'worst', 0, {});
  const shape = rankOf(s);
  if (shape === 'record') return { bestWorst, rank: sayNth(frames, 'rank.record', 0, {}) };
  if (shape === 'from') return { bestWorst, rank: sayNth(frames, 'rank.from', 0, { month: w.monthYear(s.historyFrom) }) };
  const since = s.rank.since!;
  return { bestWorst, rank: short ? sayNth(frames, 'rank.short.since', 0, { month: w.monthYear(since) }) : sayNth(frames, 'rank.since', 0, { date: w.date(since) }) };
}

function headline(s: Signal, ctx: Ctx, w: Words): string {
  const { frames, variant } = ctx;
  const Name = w.The(s.symbol);
  const moved = () => w.moved(s.change, 'pct', '1W', s.symbol);
  if (s.rank.notable) {
    const rank = rankWords(s, ctx, w, true);
    return variant === 0 ? sayNth(frames, 'headline.rank', 0, { Name, ...rank }) : sayNth(frames, 'headline.rank.moved', 0, { Name, moved: moved(), ...rank });
  }
  return variant === 0
    ? sayNth(frames, 'headline.moved', 0, { Name, moved: moved(), period: w.period('1W') })
    : sayNth(frames, 'headline.ends', 0, { Name, upDown: w.upDown(s.change, 'pct') });
}

/** The headline did not tell the week: the move, the close once, and a notable week. */
function theWeek(s: Signal, ctx: Ctx, w: Words): string {
  const { frames, variant, root } = ctx;
  const moved = w.moved(s.change, 'pct', '1W', s.symbol);
  const close = tellFirst(root, { kind: 'close', symbol: s.symbol }) ? sayNth(frames, 'close', variant, { level: w.level(s.level, 'pct') }) : '';
  const notable = s.rank.notable ? sayNth(frames, 'notable', variant, rankWords(s, ctx, w, false)) : '';
  return sayNth(frames, 'lede', variant, { Name: w.The(s.symbol), name: w.the(s.symbol), moved, Period: w.period('1W', true), period: w.period('1W'), close, notable });
}

const phaseOf = (s: Signal): 'bear' | 'correction' => (s.standing?.phase === 'bear' ? 'bear' : 'correction');

/** The headline told the week: the lede gives the close, once, with what the phrasing adds to it. */
function theClose(s: Signal, ctx: Ctx, w: Words): string {
  const { frames, variant, root } = ctx;
  if (!tellFirst(root, { kind: 'close', symbol: s.symbol })) return '';
  const base = { Name: w.The(s.symbol), name: w.the(s.symbol), level: w.level(s.level, 'pct') };
  if (s.rank.notable) return sayNth(frames, 'lede.close.rank', variant, { ...base, ...rankWords(s, ctx, w, false) });
  // The first phrasing adds the year; the second, where the market stands.
  if (variant === 0 && s.ytd) {
    const year = tellFirst(root, { kind: 'move', symbol: s.symbol, window: 'YTD' }) ? sayNth(frames, 'year', 0, { upDown: w.upDown(s.ytd, 'pct') }) : '';
    return sayNth(frames, 'lede.close.year', 0, { ...base, year });
  }
  if (variant === 1 && s.standing) {
    if (!tellFirst(root, { kind: 'regime', symbol: s.symbol })) return '';
    const { fromPeak, peak } = s.standing;
    const phase = sayNth(frames, `a.${phaseOf(s)}`, 0, {});
    return sayNth(frames, 'lede.close.standing', 0, { ...base, phase, fromPeak: w.size(fromPeak, 'pct'), peakDate: w.date(peak.date) });
  }
  return sayNth(frames, s.change > 0 ? 'lede.close.up' : 'lede.close.down', variant, base);
}

/** The year to date when the week turned it (told once), then where the market stands (told once). */
function detail(s: Signal, { frames, variant, root }: Ctx, w: Words): string {
  const said: string[] = [];
  if (s.ytd && tellFirst(root, { kind: 'move', symbol: s.symbol, window: 'YTD' })) {
    const named = { Name: w.The(s.symbol), name: w.the(s.symbol), upDown: w.upDown(s.ytd, 'pct') };
    if (s.yearTurn === 'sign') said.push(sayNth(frames, 'year.turned', variant, { ...named, sign: sayNth(frames, s.ytd > 0 ? 'turned.up' : 'turned.down', variant, {}) }));
    else said.push(sayNth(frames, 'year.now', variant, named));
  }
  if (s.standing && tellFirst(root, { kind: 'regime', symbol: s.symbol })) {
    const { fromPeak, peak, since } = s.standing;
    const phase = sayNth(frames, `standing.${phaseOf(s)}`, variant, {});
    const slots = { Name: w.The(s.symbol), phase, day: w.onDay(since.date), fromPeak: w.size(fromPeak, 'pct'), peakDate: w.date(peak.date), peak: w.level(peak.close, 'pct') };
    said.push(sayNth(frames, 'standing', variant, slots));
  }
  return said.join(' ');
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const w = wordsOf(ctx.root);
  switch (block) {
    case 'title':
      return sayNth(ctx.frames, 'title', ctx.variant, {});
    case 'headline':
      return headline(s, ctx, w);
    case 'lede':
      return ctx.root.headlineTold ? theClose(s, ctx, w) : theWeek(s, ctx, w);
    default:
      return detail(s, ctx, w);
  }
}

export const market: Realiser<'market', typeof spec> = { spec, variants: { title: 2, headline: 2, lede: 2, detail: 2 }, realise };
