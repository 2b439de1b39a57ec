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
    climber: undefined,
    ...over,
  }) as Leaders;

describe('leaders realiser', () => {
  it('titles sectors as sectors and names other groups', () => {
    expect(phrasings(leaders(), 'title')).toEqual(['Sector leadership', 'Sectors: leaders and laggards']);
    expect(phrasings(leaders({ group: 'small-cap-sectors' }), 'title')).toEqual(['Small-cap sectors: who led', 'Inside small-cap sectors']);
  });

  it('lists both ends with their figures, and the climber only when there is one', () => {
    expect(phrasings(leaders(), 'lede')[0]).toBe('Among sectors, Technology (+3.1%) and Energy (+2.0%) led this week; Utilities (−2.2%) brought up the rear.');
    expect(phrasings(leaders(), 'detail')).toEqual(['', '']);
    expect(phrasings(leaders({ climber: { symbol: 'XLU', from: 11, to: 3 } }), 'detail')[1]).toBe('Utilities climbed furthest, from eleventh place last week to third.');
    expect(phrasings(leaders(), 'headline')).toEqual(['Technology led sectors this week']);
  });
});
