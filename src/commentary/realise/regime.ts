/**
 * A crossing this week: a new bull market (20% above the bear market's low), or a first crossing into a
 * bear market or a correction, or a return to a correction. The regime is told once per instrument (the
 * market story's "still in a bear market" reads the same ledger). The lede gives one measure, the
 * crossing close: the week's close is the market story's.
 */
import { sayNth } from '../frames.js';
import { tellFirst } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const crossing = ['Name', 'name', 'Day', 'day', 'from'] as const;
const spec = {
  'title.bull': [],
  'title.bear': [],
  'title.correction': [],
  bear: [],
  correction: [],
  'headline.bull': ['Name', 'name'],
  'headline.again': ['Name', 'name'],
  'headline.enter': ['Name', 'name', 'what'],
  'lede.bull': [...crossing, 'low', 'lowDate'],
  'lede.enter': [...crossing, 'what', 'peak', 'peakDate'],
  'lede.again': [...crossing, 'what', 'peak', 'peakDate'],
  'others.bull': ['Names'],
  'others.bull.many': ['Names'],
  'others.enter': ['Names', 'what'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'regime'>;

/** bull: a new bull market; again: back in a correction; enter: a first crossing into a bear market or a correction. */
export const shapeOf = (s: Pick<Signal, 'event' | 'again'>): 'bull' | 'again' | 'enter' => (s.event === 'bull' ? 'bull' : s.again ? 'again' : 'enter');

const whatOf = (s: Signal, { frames }: Ctx) => sayNth(frames, s.event === 'bear' ? 'bear' : 'correction', 0, {});

function others(s: Signal, ctx: Ctx, w: Words): string {
  if (s.others.length === 0) return '';
  const Names = w.list(s.others, true);
  if (s.event !== 'bull') return sayNth(ctx.frames, 'others.enter', 0, { Names, what: whatOf(s, ctx) });
  return sayNth(ctx.frames, s.others.length > 1 ? 'others.bull.many' : 'others.bull', 0, { Names });
}

function lede(s: Signal, ctx: Ctx, w: Words): string {
  // Told once: a second signal on the same instrument (or the market story) has said it.
  if (!tellFirst(ctx.root, { kind: 'regime', symbol: s.symbol })) return '';
  const { frames, variant } = ctx;
  const base = { Name: w.The(s.symbol), name: w.the(s.symbol), Day: w.onDay(s.crossed.date, true), day: w.onDay(s.crossed.date), from: w.size(s.crossedFrom, 'pct') };
  const said: string[] = [];
  if (s.event === 'bull') said.push(sayNth(frames, 'lede.bull', variant, { ...base, low: w.level(s.low!.close, 'pct'), lowDate: w.date(s.low!.date) }));
  else
    said.push(sayNth(frames, s.again ? 'lede.again' : 'lede.enter', variant, { ...base, what: whatOf(s, ctx), peak: w.level(s.peak.close, 'pct'), peakDate: w.date(s.peak.date) }));
  return [...said, others(s, ctx, w)].join(' ');
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const w = wordsOf(ctx.root);
  if (block === 'title') return sayNth(ctx.frames, `title.${s.event}`, ctx.variant, {});
  if (block === 'headline') {
    const names = { Name: w.The(s.symbol), name: w.the(s.symbol) };
    return sayNth(ctx.frames, `headline.${shapeOf(s)}`, ctx.variant, { ...names, what: whatOf(s, ctx) });
  }
  return block === 'lede' ? lede(s, ctx, w) : '';
}

export const regime: Realiser<'regime', typeof spec> = { spec, variants: { title: 2, headline: 2, lede: 2, detail: 1 }, realise };
