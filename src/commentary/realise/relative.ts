/**
 * One instrument against another. The frame follows the signs: when the leader fell it "fell less"
 * (never "led"), when both rose it beat the laggard by the gap, otherwise the two went opposite ways.
 * A comparison keeps both sides' figures: a side whose move the edition already told is named by its
 * figure as a noun ("against a 2.2% gain for the S&P 500"), not told again as a move; each side's verb
 * is sized by its own instrument's usual move.
 */
import type { Window } from '../../config/primitives.js';
import { sayNth } from '../frames.js';
import { tellFirst, wasTold } from '../ledger.js';
import type { Block, Of, RealiseContext, Realiser } from './index.js';
import { articleFor } from '../helpers.js';
import { type Words, wordsOf } from './words.js';

const pair = ['Leader', 'leader', 'laggard'] as const;
const spec = {
  title: ['LeaderTheme', 'laggardTheme'],
  'headline.less': ['LeaderTheme', 'laggardTheme', 'period'],
  'headline.beat': ['LeaderTheme', 'laggardTheme', 'gap', 'period'],
  'headline.split': ['LeaderTheme', 'laggardTheme', 'period'],
  'lede.less': ['LeaderTheme', 'laggardTheme', 'leaderTheme', ...pair, 'leaderMoved', 'laggardMoved', 'laggardClause', 'gap', 'period'],
  'lede.beat': ['LeaderTheme', ...pair, 'leaderMoved', 'laggardClause', 'gap', 'period'],
  'lede.split': ['LeaderTheme', 'laggardTheme', ...pair, 'leaderMoved', 'laggardMoved', 'gap', 'period'],
  which: ['laggard', 'moved'],
  'lede.against': ['Leader', 'leaderMoved', 'laggard', 'laggardFigure', 'gap', 'period'],
  'lede.compared': ['Leader', 'leaderFigure', 'laggard', 'laggardFigure', 'gap', 'period'],
  alongside: ['name', 'aside', 'moved'],
  streak: [...pair, 'weeks'],
  'widest-in-a-year': [...pair],
  'longer.behind': [...pair, 'gap', 'period'],
} as const;
type Ctx = RealiseContext<typeof spec>;
type Signal = Of<'relative'>;

/** less: the leader fell too; beat: the laggard rose too; split: one up, one down. */
export const shapeOf = (s: Pick<Signal, 'leader' | 'laggard'>): 'less' | 'beat' | 'split' => (s.leader.change < 0 ? 'less' : s.laggard.change > 0 ? 'beat' : 'split');

const LONGER: Partial<Record<Window, string>> = { YTD: 'the year so far', '3M': 'the past three months' };

function names(s: Signal, w: Words) {
  return {
    LeaderTheme: w.Theme(s.leader.symbol),
    laggardTheme: w.theme(s.laggard.symbol),
    leaderTheme: w.theme(s.leader.symbol),
    Leader: w.The(s.leader.symbol),
    leader: w.the(s.leader.symbol),
    laggard: w.the(s.laggard.symbol),
  };
}

function headline(s: Signal, w: Words, { frames, variant }: Ctx): string {
  // The second phrasing leaves the week understood; a longer window is always said.
  const period = variant === 1 && s.window === '1W' ? '' : w.period(s.window);
  const n = names(s, w);
  return sayNth(frames, `headline.${shapeOf(s)}`, variant, { ...n, gap: w.points(s.gap), period });
}

/** "a 2.2% gain", "a 3.8% loss": a side's move as a noun, for a figure the edition has told as a move. */
function figureNoun(change: number, w: Words): string {
  const size = w.size(change, 'pct');
  return w.change(change, 'pct') === '0.0%' ? 'a flat week' : `${articleFor(size)} ${size} ${change > 0 ? 'gain' : 'loss'}`;
}

/** Either side's figure already told: the told side is a noun, the other its move (both figures stay). */
function toldSides(s: Signal, w: Words, { frames, root, variant }: Ctx): string | undefined {
  const leaderFact = { kind: 'move', symbol: s.leader.symbol, window: s.window } as const;
  const laggardFact = { kind: 'move', symbol: s.laggard.symbol, window: s.window } as const;
  const leaderTold = wasTold(root, leaderFact);
  if (!leaderTold && !wasTold(root, laggardFact)) return undefined;
  const base = {
    Leader: w.The(s.leader.symbol),
    laggard: w.the(s.laggard.symbol),
    gap: w.points(s.gap),
    period: w.period(s.window),
    laggardFigure: figureNoun(s.laggard.change, w),
  };
  tellFirst(root, laggardFact);
  if (leaderTold) return sayNth(frames, 'lede.compared', variant, { ...base, leaderFigure: figureNoun(s.leader.change, w) });
  return sayNth(frames, 'lede.against', variant, { ...base, leaderMoved: w.moved(s.leader.change, 'pct', s.window, s.leader.symbol) });
}

function lede(s: Signal, w: Words, ctx: Ctx): string {
  const { frames, variant } = ctx;
  const n = names(s, w);
  const base = { ...n, gap: w.points(s.gap), period: w.period(s.window) };
  const shape = shapeOf(s);
  let text = toldSides(s, w, ctx);
  if (text === undefined) {
    // The figures are told in reading order: the leader's, then the laggard's, then the one alongside.
    const leaderMoved = w.moved(s.leader.change, 'pct', s.window, s.leader.symbol);
    const laggardMoved = w.moved(s.laggard.change, 'pct', s.window, s.laggard.symbol);
    const twoMoves = shape === 'split' || (shape === 'less' && variant === 1);
    const laggardClause = twoMoves ? '' : sayNth(frames, 'which', variant, { laggard: n.laggard, moved: laggardMoved });
    text = sayNth(frames, `lede.${shape}`, variant, { ...base, leaderMoved, laggardMoved: twoMoves ? laggardMoved : '', laggardClause });
  }
  if (!s.alongside) return text;
  const a = s.alongside;
  const name = w.the(a.symbol);
  const aside = w.aside(a.symbol);
  return `${text} ${sayNth(frames, 'alongside', 0, { name, aside, moved: w.moved(a.change, a.unit, s.window, a.symbol) })}`;
}

function detail(s: Signal, w: Words, { frames, root, variant }: Ctx): string {
  const n = names(s, w);
  const said: string[] = [];
  // Only news: a streak of three weeks or more, a lead wider than any in a year, and the longer window
  // only when the week ran against it (a lead last as wide a few weeks ago, or a longer lead, is not).
  if (s.streak !== undefined && s.streak > 2) said.push(sayNth(frames, 'streak', variant, { ...n, weeks: w.numberWord(s.streak) }));
  if (s.largestInAYear) said.push(sayNth(frames, 'widest-in-a-year', variant, n));
  const longer = s.longer;
  // The longer window counts as told once looked at, whether or not the week ran against it.
  if (longer && tellFirst(root, { kind: 'longer', pair: s.pair, window: longer.window }) && longer.gap < 0) {
    said.push(sayNth(frames, 'longer.behind', variant, { ...n, gap: w.points(longer.gap), period: LONGER[longer.window] ?? 'the past month' }));
  }
  return said.join(' ');
}

function realise(s: Signal, block: Block, ctx: Ctx): string {
  const w = wordsOf(ctx.root);
  if (block === 'title') return sayNth(ctx.frames, 'title', ctx.variant, names(s, w));
  if (block === 'headline') return headline(s, w, ctx);
  return block === 'lede' ? lede(s, w, ctx) : detail(s, w, ctx);
}

export const relative: Realiser<'relative', typeof spec> = { spec, variants: { title: 2, headline: 4, lede: 2, detail: 2 }, realise };
