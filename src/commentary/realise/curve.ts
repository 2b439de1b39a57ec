/**
 * The yield curve: the 10-year minus 2-year spread's change named by the curve's own verbs, a change of
 * sign said when it happened, and the short yield's move as the detail, once in the edition.
 */
import { sayNth } from '../frames.js';
import { curveVerb } from '../helpers.js';
import { tellFirst } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const spec = {
  title: [],
  headline: ['verb', 'period'],
  'headline.adjective': ['verb', 'period'],
  'headline.sign': [],
  lede: ['verb', 'Period', 'period', 'by', 'spread', 'sign'],
  sign: [],
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

/** The short yield's move, the first time the edition tells it. */
function detail(s: Signal, { frames, variant, root }: Ctx, w: Words): string {
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
  const sign = s.crossedZero ? sayNth(frames, 'sign', variant, {}) : '';
  const slots = {
    verb: curveVerb(s.spreadChange),
    Period: w.period(s.window, true),
    period: w.period(s.window),
    by: w.size(s.spreadChange, 'bp'),
    spread: w.change(s.spread, 'bp'),
  };
  return sayNth(frames, 'lede', variant, { ...slots, sign });
}

export const curve: Realiser<'curve', typeof spec> = { spec, variants: { title: 2, headline: 2, lede: 2, detail: 2 }, realise };
