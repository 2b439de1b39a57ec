/**
 * An instrument beyond a mark at the close (the VIX above 30, a yield below 4%). A mark held from last
 * week is no news (the lede says nothing); a mark crossed this week is told as the crossing. The close and the week's change
 * are each told once in the edition: a sentence whose close was told says nothing or only the crossing.
 */
import { sayNth } from '../frames.js';
import { tellFirst } from '../ledger.js';
import { side } from '../helpers.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const crossing = ['Name', 'name', 'crossed', 'side', 'mark', 'change'] as const;
const spec = {
  'title.rates': [],
  'title.volatility': [],
  'headline.stays': ['Name', 'side', 'mark'],
  'headline.moves': ['Name', 'side', 'mark'],
  'lede.crossed': [...crossing, 'close'],
  'lede.crossed.close-told': [...crossing],
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
  // Beyond the mark a week ago too: no news, so nothing is said (and nothing is recorded as told).
  if (s.wasThere) return '';
  const { frames, variant, root } = ctx;
  const Name = w.The(s.symbol);
  const closeFirst = tellFirst(root, { kind: 'close', symbol: s.symbol });
  const close = w.level(s.level, s.unit);
  const above = s.op === 'at-or-above';
  const slots = { Name, name: w.the(s.symbol), crossed: above ? 'rose above' : 'fell below', side: above ? 'above' : 'below', mark: w.level(s.value, s.unit) };
  const said = { ...slots, change: change(s, ctx, w) };
  return closeFirst ? sayNth(frames, 'lede.crossed', variant, { ...said, close }) : sayNth(frames, 'lede.crossed.close-told', variant, said);
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const w = wordsOf(ctx.root);
  if (block === 'title') return sayNth(ctx.frames, s.unit === 'bp' ? 'title.rates' : 'title.volatility', ctx.variant, {});
  if (block === 'headline')
    return sayNth(ctx.frames, s.wasThere ? 'headline.stays' : 'headline.moves', 0, { Name: w.The(s.symbol), side: side(s.level, s.value), mark: w.level(s.value, s.unit) });
  return block === 'lede' ? lede(s, ctx, w) : '';
}

export const level: Realiser<'level', typeof spec> = { spec, variants: { title: 2, headline: 1, lede: 2, detail: 1 }, realise };
