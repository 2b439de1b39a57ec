import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { phrasings, rootOf } from './fixture.js';

type Level = Extract<Signal, { kind: 'level' }>;
const level = (over: Partial<Level> = {}): Level =>
  ({
    kind: 'level',
    id: 'vix-30',
    magnitude: 1,
    topic: 'volatility',
    symbol: '^VIX',
    unit: 'pt',
    level: 32.1,
    op: 'at-or-above',
    value: 30,
    weekChange: 8.2,
    label: 'stressed',
    wasThere: false,
    ...over,
  }) as Level;

describe('level realiser', () => {
  it('tells a crossing with the close and the change, once each', () => {
    expect(phrasings(level(), 'lede')).toEqual([
      'The VIX rose above 30.0, closing at 32.1 after it soared 8.2 points.',
      'A close of 32.1 took the VIX above 30.0, up 8.2 points on the week.',
    ]);
    const root = rootOf();
    root.stated.add('close:^VIX');
    root.stated.add('move:^VIX:1W');
    expect(phrasings(level(), 'lede', root)).toEqual(['The VIX rose above 30.0.', 'The VIX ended above 30.0.']);
  });

  it('says nothing of a mark held from last week (no news), and records nothing as told', () => {
    const root = rootOf();
    expect(phrasings(level({ wasThere: true, weekChange: -1.04 }), 'lede', root)).toEqual(['', '']);
    expect(root.stated.size).toBe(0);
    expect(phrasings(level({ wasThere: true }), 'headline')).toEqual(['The VIX stays above 30.0']);
    expect(phrasings(level({ unit: 'bp', symbol: 'DGS10', op: 'at-or-below', level: 3.9, value: 4 }), 'headline')).toEqual(['The 10-year yield moves below 4.00%']);
  });
});
