/**
 * One instrument's move beyond its threshold: the calibrated verb with its figure (told once), the
 * close it ended at (told once), and the last week with a move as big the same way.
 */
import { sayNth } from '../frames.js';
import { tellFirst } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const spec = {
  'title.rates': [],
  'title.volatility': [],
  'title.price': ['Theme', 'theme'],
  'headline.moved': ['Name', 'moved', 'period'],
  'headline.since': ['Name', 'kind', 'month'],
  lede: ['Name', 'name', 'aside', 'moved', 'Period', 'period', 'close', 'since'],
  close: ['level'],
  since: ['kind', 'date'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'move'>;

/** A price gains or drops; a yield or the VIX rises or falls. */
export const kindOf = (s: Pick<Signal, 'unit' | 'change'>): string => (s.unit === 'pct' ? (s.change > 0 ? 'gain' : 'drop') : s.change > 0 ? 'rise' : 'fall');

function lede(s: Signal, { frames, variant, root }: Ctx, w: Words): string {
  // Reading order is ledger order: the aside, the figure, then the close.
  const named = { Name: w.The(s.symbol), name: w.the(s.symbol), aside: w.aside(s.symbol) };
  const moved = w.moved(s.change, s.unit, s.window, s.symbol);
  const close = tellFirst(root, { kind: 'close', symbol: s.symbol }) ? sayNth(frames, 'close', variant, { level: w.level(s.level, s.unit) }) : '';
  const since = s.since ? sayNth(frames, 'since', variant, { kind: kindOf(s), date: w.date(s.since) }) : '';
  return sayNth(frames, 'lede', variant, { ...named, moved, Period: w.period(s.window, true), period: w.period(s.window), close, since });
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const { frames, variant } = ctx;
  const w = wordsOf(ctx.root);
  if (block === 'title') {
    if (s.unit === 'pct') return sayNth(frames, 'title.price', variant, { Theme: w.Theme(s.symbol), theme: w.theme(s.symbol) });
    return sayNth(frames, s.unit === 'bp' ? 'title.rates' : 'title.volatility', variant, {});
  }
  if (block === 'lede') return lede(s, ctx, w);
  if (block !== 'headline') return '';
  // The second headline names the landmark when there is one; the first always the move.
  if (variant === 1 && s.since) return sayNth(frames, 'headline.since', 0, { Name: w.The(s.symbol), kind: kindOf(s), month: w.monthYear(s.since) });
  return sayNth(frames, 'headline.moved', 0, { Name: w.The(s.symbol), moved: w.moved(s.change, s.unit, s.window, s.symbol), period: w.period(s.window) });
}

export const move: Realiser<'move', typeof spec> = { spec, variants: { title: 2, headline: 2, lede: 2, detail: 1 }, realise };
