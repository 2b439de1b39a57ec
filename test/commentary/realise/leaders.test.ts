import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { phrasings } from './fixture.js';

type Leaders = Extract<Signal, { kind: 'leaders' }>;
const leaders = (over: Partial<Leaders> = {}): Leaders =>
  ({
    kind: 'leaders',
    id: 'sectors',
    magnitude: 1,
    topic: 'sectors',
    window: '1W',
    group: 'sectors',
    leaders: [
      { symbol: 'XLK', change: 3.1 },
      { symbol: 'XLE', change: 2 },
    ],
    laggards: [{ symbol: 'XLU', change: -2.2 }],
    spread: 5.3,
    oneWay: undefined,
    climber: undefined,
    ...over,
  }) as Leaders;

describe('leaders realiser', () => {
  it('titles sectors as sectors and names other groups', () => {
    expect(phrasings(leaders(), 'title')).toEqual(['Sector leadership', 'Sectors: leaders and laggards']);
    expect(phrasings(leaders({ group: 'small-cap-sectors' }), 'title')).toEqual(['Small-cap sectors: who led', 'Inside small-cap sectors']);
  });

  it('lists both ends with their figures, and tells no climber', () => {
    expect(phrasings(leaders(), 'lede')).toEqual([
      'Among sectors, Technology (+3.1%) and Energy (+2.0%) led this week; Utilities (−2.2%) brought up the rear.',
      'Sectors were led by Technology (+3.1%) and Energy (+2.0%) this week, while Utilities (−2.2%) trailed.',
      'The strongest sectors were Technology (+3.1%) and Energy (+2.0%); the weakest, Utilities (−2.2%).',
      'Technology led the sectors, up 3.1%, and Utilities did worst, down 2.2%.',
      'Sectors split: Technology (+3.1%) and Energy (+2.0%) did best, and Utilities (−2.2%) did worst.',
      'Technology did best among the sectors, up 3.1%; Utilities did worst, down 2.2%.',
      'At the top of the sectors was Technology (+3.1%), at the bottom Utilities (−2.2%), 5.3 percentage points apart.',
    ]);
    expect(phrasings(leaders({ climber: { symbol: 'XLU', from: 11, to: 3 } }), 'detail')).toEqual(['']);
    expect(phrasings(leaders(), 'headline')).toEqual(['Technology led sectors this week']);
  });

  it('says so when every member moved one way, with no ranks', () => {
    const down = leaders({ oneWay: 'down', leaders: [{ symbol: 'XLU', change: -0.4 }], laggards: [{ symbol: 'XLK', change: -4.3 }], spread: 3.9 });
    expect(phrasings(down, 'lede').slice(0, 2)).toEqual([
      'All sectors fell this week: the best, Utilities, was down 0.4%, and Technology did worst, down 4.3%.',
      'No sectors gained this week: Utilities (−0.4%) held up best, and Technology (−4.3%) fell furthest.',
    ]);
    const up = leaders({ oneWay: 'up', laggards: [{ symbol: 'XLU', change: 0.3 }], spread: 2.8 });
    expect(phrasings(up, 'lede').slice(0, 2)).toEqual([
      'All sectors rose this week, led by Technology, up 3.1%; Utilities gained least, 0.3%.',
      'Every one of the sectors gained this week, Technology (+3.1%) and Energy (+2.0%) the most and Utilities (+0.3%) the least.',
    ]);
    for (const text of [...phrasings(down, 'lede'), ...phrasings(up, 'lede')]) expect(text).not.toMatch(/\bled the\b|split|brought up the rear/);
  });
});
