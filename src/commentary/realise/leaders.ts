/**
 * The best and worst of a group (sectors, small-cap sectors, the megacaps) with their figures, and the
 * biggest climb in the ranking from last week. Sectors have titles of their own; other groups are named.
 */
import { sayNth } from '../frames.js';
import { groupName, moverList } from '../helpers.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { wordsOf } from './words.js';

const spec = {
  'title.sectors': [],
  'title.group': ['Group', 'group'],
  headline: ['Name', 'group', 'period'],
  lede: ['Group', 'group', 'leaders', 'laggards', 'Period', 'period'],
  climber: ['Name', 'name', 'from', 'to'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'leaders'>;

function realise(s: Signal, block: Block, { frames, variant, root }: Ctx): string {
  const w = wordsOf(root);
  const group = { Group: groupName(s.group, true), group: groupName(s.group) };
  if (block === 'title') return s.group === 'sectors' ? sayNth(frames, 'title.sectors', variant, {}) : sayNth(frames, 'title.group', variant, group);
  if (block === 'headline') return sayNth(frames, 'headline', 0, { Name: w.The(s.leaders[0]!.symbol), group: group.group, period: w.period(s.window) });
  if (block === 'lede')
    return sayNth(frames, 'lede', variant, {
      ...group,
      leaders: moverList(s.leaders, root),
      laggards: moverList(s.laggards, root),
      Period: w.period(s.window, true),
      period: w.period(s.window),
    });
  const c = s.climber;
  return c ? sayNth(frames, 'climber', variant, { Name: w.The(c.symbol), name: w.the(c.symbol), from: w.ordinal(c.from), to: w.ordinal(c.to) }) : '';
}

export const leaders: Realiser<'leaders', typeof spec> = { spec, variants: { title: 2, headline: 1, lede: 3, detail: 2 }, realise };
