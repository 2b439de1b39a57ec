/**
 * The best and worst of a group (sectors, small-cap sectors, the megacaps) with their figures. Sectors
 * have titles of their own; other groups are named. When every member moved one way, that is the news
 * and the lede says so; ranks are not (no climber: a "climb" to third in a week the sector fell misleads).
 */
import { sayNth } from '../frames.js';
import { groupName, moverList } from '../helpers.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { wordsOf } from './words.js';

const group = ['Group', 'group', 'period', 'leaders', 'laggards'] as const;
const spec = {
  'title.sectors': [],
  'title.group': ['Group', 'group'],
  headline: ['Name', 'group', 'period'],
  lede: [...group, 'Best', 'best', 'worst', 'bestUpDown', 'worstUpDown', 'bestChange', 'worstChange', 'spread'],
  'lede.fell': [...group, 'best', 'worst', 'bestSize', 'worstSize'],
  'lede.rose': [...group, 'best', 'worst', 'bestSize', 'worstSize'],
  'lede.none-gained': [...group],
  'lede.every-one-gained': [...group],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'leaders'>;

function lede(s: Signal, { frames, variant, root }: Ctx): string {
  const w = wordsOf(root);
  const best = s.leaders[0]!;
  const worst = s.laggards[0]!;
  const slots = {
    Group: groupName(s.group, true),
    group: groupName(s.group),
    period: w.period(s.window),
    leaders: moverList(s.leaders, root),
    laggards: moverList(s.laggards, root),
    Best: w.The(best.symbol),
    best: w.the(best.symbol),
    worst: w.the(worst.symbol),
  };
  if (s.oneWay) {
    // The phrasings alternate between the best and worst by name and the lists that did best and worst.
    const named = variant % 2 === 0;
    if (!named) return sayNth(frames, s.oneWay === 'down' ? 'lede.none-gained' : 'lede.every-one-gained', 0, slots);
    return sayNth(frames, s.oneWay === 'down' ? 'lede.fell' : 'lede.rose', 0, { ...slots, bestSize: w.size(best.change, 'pct'), worstSize: w.size(worst.change, 'pct') });
  }
  return sayNth(frames, 'lede', variant, {
    ...slots,
    bestUpDown: w.upDown(best.change, 'pct'),
    worstUpDown: w.upDown(worst.change, 'pct'),
    bestChange: w.change(best.change, 'pct'),
    worstChange: w.change(worst.change, 'pct'),
    spread: w.points(s.spread),
  });
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const { frames, variant, root } = ctx;
  const w = wordsOf(root);
  const names = { Group: groupName(s.group, true), group: groupName(s.group) };
  if (block === 'title') return s.group === 'sectors' ? sayNth(frames, 'title.sectors', variant, {}) : sayNth(frames, 'title.group', variant, names);
  if (block === 'headline') return sayNth(frames, 'headline', 0, { Name: w.The(s.leaders[0]!.symbol), group: names.group, period: w.period(s.window) });
  return block === 'lede' ? lede(s, ctx) : '';
}

export const leaders: Realiser<'leaders', typeof spec> = { spec, variants: { title: 2, headline: 1, lede: 7, detail: 1 }, realise };
