/**
 * A close beyond the past year's range: an all-time record (and the record it topped, or how long the
 * old one stood), else the most extreme close since a date or in the years of data served. The close's
 * level is told once: when the edition already gave it, the sentence says only what kind of close it was.
 */
import { sayNth } from '../frames.js';
import { tellFirst } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const names = ['Name', 'name'] as const;
const closed = [...names, 'Day', 'day', 'what', 'close', 'beaten'] as const;
const spec = {
  'title.volatility': [],
  'title.rates': [],
  'title.records': [],
  'title.highs': [],
  'title.lows': [],
  'headline.first-record': [...names, 'stood'],
  'headline.record': [...names],
  'headline.since': [...names, 'climbs', 'most', 'month'],
  'headline.years': [...names, 'most', 'years'],
  'headline.52-weeks': [...names, 'extreme'],
  'what.record': [],
  'what.high': [],
  'what.low': [],
  'beaten.first': ['date', 'old', 'stood'],
  'beaten.topping': ['date', 'old'],
  'beaten.most': ['most', 'span'],
  'span.since': ['date'],
  'span.years': ['years'],
  'span.52-weeks': [],
  'week-end': ['close'],
  'lede.closed': [...closed, 'weekEnd'],
  'lede.at-close': [...closed],
  'lede.record-told': [...names, 'beaten'],
  'lede.extreme-told': [...names, 'most', 'span'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'record'>;

/** The record's title: its asset class for the VIX and yields, else what kind of extreme it is. */
export function titleOf(s: Pick<Signal, 'unit' | 'allTime' | 'extreme'>): 'volatility' | 'rates' | 'records' | 'highs' | 'lows' {
  if (s.unit === 'pt') return 'volatility';
  if (s.unit === 'bp') return 'rates';
  return s.allTime ? 'records' : s.extreme === 'high' ? 'highs' : 'lows';
}

const most = (s: Signal) => (s.extreme === 'high' ? 'highest' : 'lowest');
/** An all-time record beaten after more than a year is "the first in" that long. */
const firstInYears = (s: Signal) => s.allTime && s.yearsSince > 1;

function span(s: Signal, { frames }: Ctx, w: Words): string {
  if (s.since) return sayNth(frames, 'span.since', 0, { date: w.date(s.since.date) });
  return s.yearsOfData > 1 ? sayNth(frames, 'span.years', 0, { years: w.numberWord(s.yearsOfData) }) : sayNth(frames, 'span.52-weeks', 0, {});
}

/** What the close beat: the record it topped (or how long the old one stood), else the span it is the most extreme in. */
function beaten(s: Signal, ctx: Ctx, w: Words): string {
  if (!s.allTime) return sayNth(ctx.frames, 'beaten.most', 0, { most: most(s), span: span(s, ctx, w) });
  const old = { date: w.date(s.beaten!.date), old: w.level(s.beaten!.close, s.unit) };
  return firstInYears(s) ? sayNth(ctx.frames, 'beaten.first', 0, { ...old, stood: w.duration(s.beaten!.date, s.record.date) }) : sayNth(ctx.frames, 'beaten.topping', 0, old);
}

function headline(s: Signal, { frames, variant }: Ctx, w: Words): string {
  const n = { Name: w.The(s.symbol), name: w.the(s.symbol) };
  if (s.allTime)
    return firstInYears(s)
      ? sayNth(frames, 'headline.first-record', variant, { ...n, stood: w.duration(s.beaten!.date, s.record.date) })
      : sayNth(frames, 'headline.record', variant, n);
  if (s.since) return sayNth(frames, 'headline.since', variant, { ...n, climbs: s.extreme === 'high' ? 'climbs' : 'sinks', most: most(s), month: w.monthYear(s.since.date) });
  if (s.yearsOfData > 1) return sayNth(frames, 'headline.years', variant, { ...n, most: most(s), years: w.numberWord(s.yearsOfData) });
  return sayNth(frames, 'headline.52-weeks', variant, { ...n, extreme: s.extreme });
}

function lede(s: Signal, ctx: Ctx, w: Words): string {
  const { frames, variant, root } = ctx;
  const n = { Name: w.The(s.symbol), name: w.the(s.symbol) };
  const what = sayNth(frames, s.allTime ? 'what.record' : s.extreme === 'high' ? 'what.high' : 'what.low', 0, {});
  const slots = { ...n, Day: w.onDay(s.record.date, true), day: w.onDay(s.record.date), what, close: w.level(s.record.close, s.unit) };
  if (!s.atClose) {
    const text = beaten(s, ctx, w);
    // The week's last close, unless the edition has told it.
    const weekEnd = tellFirst(root, { kind: 'close', symbol: s.symbol }) ? sayNth(frames, 'week-end', 0, { close: w.level(s.level, s.unit) }) : '';
    return sayNth(frames, 'lede.closed', variant, { ...slots, beaten: text, weekEnd });
  }
  // The record is the week's close: told with its level the first time, as a kind of close after.
  if (tellFirst(root, { kind: 'close', symbol: s.symbol })) return sayNth(frames, 'lede.at-close', variant, { ...slots, beaten: beaten(s, ctx, w) });
  if (s.allTime) return sayNth(frames, 'lede.record-told', variant, { ...n, beaten: beaten(s, ctx, w) });
  return sayNth(frames, 'lede.extreme-told', variant, { ...n, most: most(s), span: span(s, ctx, w) });
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const w = wordsOf(ctx.root);
  if (block === 'title') return sayNth(ctx.frames, `title.${titleOf(s)}`, ctx.variant, {});
  if (block === 'headline') return headline(s, ctx, w);
  return block === 'lede' ? lede(s, ctx, w) : '';
}

export const record: Realiser<'record', typeof spec> = { spec, variants: { title: 2, headline: 2, lede: 2, detail: 1 }, realise };
