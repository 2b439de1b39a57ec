/**
 * An instrument beyond a level at the close (the VIX above 30, a yield below 4%). The level is the
 * newsletter's own mark, so the copy never names it: a level reached this week is told as the close and
 * the week's move; one held from last week is no news (the lede says nothing). The close and the week's
 * change are each told once in the edition: a sentence whose close was told says nothing.
 */
import { sayNth } from '../frames.js';
import { tellFirst } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const spec = {
  'headline.stays': ['Name', 'high'],
  'headline.moves': ['Name', 'moves', 'close'],
  'title.rates': [],
  'title.volatility': [],
  'lede.crossed': ['Name', 'close', 'change'],
  'crossed.change': ['moved', 'upDown'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'level'>;

/** The week's change as a clause, the first time its figure is told (none when unknown). */
function change(s: Signal, ctx: Ctx, w: Words): string {
  if (s.weekChange === undefined || !tellFirst(ctx.root, { kind: 'move', symbol: s.symbol, window: '1W' })) return '';
  return sayNth(ctx.frames, 'crossed.change', ctx.variant, { upDown: w.upDown(s.weekChange, s.unit), moved: w.moved(s.weekChange, s.unit, '1W') });
}

function lede(s: Signal, ctx: Ctx, w: Words): string {
  // Beyond the level a week ago too, or its close already told: no news, so nothing is said (and nothing recorded).
  if (s.wasThere || !tellFirst(ctx.root, { kind: 'close', symbol: s.symbol })) return '';
  return sayNth(ctx.frames, 'lede.crossed', ctx.variant, { Name: w.The(s.symbol), close: w.level(s.level, s.unit), change: change(s, ctx, w) });
}

/** "The VIX stays high", "The 10-year yield falls to 3.90%": the level itself, never the mark. */
function headline(s: Signal, w: Words, { frames }: Ctx): string {
  const above = s.op === 'at-or-above';
  if (s.wasThere) return sayNth(frames, 'headline.stays', 0, { Name: w.The(s.symbol), high: above ? 'high' : 'low' });
  return sayNth(frames, 'headline.moves', 0, { Name: w.The(s.symbol), moves: above ? 'climbs' : 'falls', close: w.level(s.level, s.unit) });
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const w = wordsOf(ctx.root);
  if (block === 'title') return sayNth(ctx.frames, s.unit === 'bp' ? 'title.rates' : 'title.volatility', ctx.variant, {});
  if (block === 'headline') return headline(s, w, ctx);
  return block === 'lede' ? lede(s, ctx, w) : '';
}

export const level: Realiser<'level', typeof spec> = { spec, variants: { title: 2, headline: 1, lede: 2, detail: 1 }, realise };
