/**
 * The week's largest one-session move in a group: the day, the instrument and its move (the verb
 * calibrated by the instrument, the figure always given: a day's change is not the week's figure), and,
 * when no day as big came in the past year (250 sessions), the last one that did.
 */
import { sayNth } from '../frames.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { type Words, wordsOf } from './words.js';

const spec = {
  title: [],
  headline: ['Name', 'moved', 'day'],
  lede: ['Name', 'name', 'moved', 'Day', 'day', 'rare'],
  rare: ['kind', 'since'],
  'since.date': ['month'],
  'since.record': [],
  'since.from': ['month'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'biggest-day'>;

/** Sessions in a year: a day with none as big in it is told against the past. */
const YEAR = 250;

/** The last day as big (by month), "on record", or "since at least" the history's first month. */
export const sinceOf = (s: Pick<Signal, 'rank'>): 'date' | 'record' | 'from' => (s.rank.since ? 'date' : s.rank.onRecord ? 'record' : 'from');

function rare(s: Signal, { frames, variant }: Ctx, w: Words): string {
  if (s.rank.span <= YEAR) return '';
  const shape = sinceOf(s);
  const since =
    shape === 'record' ? sayNth(frames, 'since.record', 0, {}) : sayNth(frames, `since.${shape}`, 0, { month: w.monthYear(shape === 'date' ? s.rank.since! : s.rank.from) });
  return sayNth(frames, 'rare', variant, { kind: s.change > 0 ? 'gain' : 'drop', since });
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  // No detail: the lede says it all.
  if (block === 'detail' || block === 'title') return block === 'title' ? sayNth(ctx.frames, 'title', ctx.variant, {}) : '';
  const w = wordsOf(ctx.root);
  const slots = { Name: w.The(s.symbol), name: w.the(s.symbol), moved: w.movedAs(s.change, 'pct', '1W', s.symbol), Day: w.onDay(s.date, true), day: w.onDay(s.date) };
  return block === 'headline' ? sayNth(ctx.frames, 'headline', ctx.variant, slots) : sayNth(ctx.frames, 'lede', ctx.variant, { ...slots, rare: rare(s, ctx, w) });
}

export const biggestDay: Realiser<'biggest-day', typeof spec> = { spec, variants: { title: 2, headline: 1, lede: 2, detail: 1 }, realise };
