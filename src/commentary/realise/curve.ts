/**
 * The yield curve: an inversion (the curve crossing below zero, or staying below it) or its return above
 * zero is the news; a positive curve's spread change is named by the curve's own verbs. The short yield's
 * move is the detail, from 5 basis points, once in the edition.
 */
import { sayNth } from '../frames.js';
import { curveVerb } from '../helpers.js';
import { tellFirst } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const lede = ['verb', 'Period', 'period', 'by', 'spread', 'gap'] as const;
const spec = {
  title: [],
  headline: ['verb', 'period'],
  'headline.adjective': ['verb', 'period'],
  'headline.sign': [],
  'lede.inverted': [...lede],
  'lede.turned-positive': [...lede],
  'lede.stayed-inverted.narrower': [...lede],
  'lede.stayed-inverted.wider': [...lede],
  'lede.wider': [...lede],
  'lede.narrower': [...lede],
  detail: ['Name', 'name', 'aside', 'moved', 'Period', 'period'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'curve'>;

function headline(s: Signal, { frames, variant }: Ctx, w: Words): string {
  const slots = { verb: curveVerb(s.spreadChange), period: w.period(s.window) };
  if (variant === 0) return sayNth(frames, 'headline', 0, slots);
  if (s.crossedZero) return sayNth(frames, 'headline.sign', 0, {});
  // "A held steady yield curve" is no phrase: a curve that did not move keeps the verb.
  return sayNth(frames, shownFlat(s) ? 'headline' : 'headline.adjective', 0, slots);
}
const shownFlat = (s: Signal) => curveVerb(s.spreadChange) === curveVerb(0);

/** The short yield's move, from 5 basis points (less is noise), the first time the edition tells it. */
function detail(s: Signal, { frames, variant, root }: Ctx, w: Words): string {
  if (Math.abs(s.short.change) <= 4.95) return '';
  if (!tellFirst(root, { kind: 'move', symbol: s.short.symbol, window: s.window })) return '';
  const named = { Name: w.The(s.short.symbol), name: w.the(s.short.symbol), aside: w.aside(s.short.symbol) };
  return sayNth(frames, 'detail', variant, { ...named, moved: w.moved(s.short.change, 'bp', s.window), Period: w.period(s.window, true), period: w.period(s.window) });
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const { frames, variant } = ctx;
  const w = wordsOf(ctx.root);
  if (block === 'title') return sayNth(frames, 'title', variant, {});
  if (block === 'headline') return headline(s, ctx, w);
  if (block === 'detail') return detail(s, ctx, w);
  const slots = {
    verb: curveVerb(s.spreadChange),
    Period: w.period(s.window, true),
    period: w.period(s.window),
    by: w.size(s.spreadChange, 'bp'),
    spread: w.change(s.spread, 'bp'),
    gap: w.size(s.spread, 'bp'),
  };
  return sayNth(frames, ledeFrame(s), variant, slots);
}

/** An inversion is the news when the curve is below zero or crossed it; a positive curve's news is its steepening or flattening. */
function ledeFrame(s: Signal): 'lede.inverted' | 'lede.turned-positive' | 'lede.stayed-inverted.narrower' | 'lede.stayed-inverted.wider' | 'lede.wider' | 'lede.narrower' {
  if (s.crossedZero) return s.spread < 0 ? 'lede.inverted' : 'lede.turned-positive';
  if (s.spread < 0) return s.spreadChange > 0 ? 'lede.stayed-inverted.narrower' : 'lede.stayed-inverted.wider';
  return s.spreadChange > 0 ? 'lede.wider' : 'lede.narrower';
}

export const curve: Realiser<'curve', typeof spec> = { spec, variants: { title: 2, headline: 2, lede: 3, detail: 2 }, realise };
