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
  it('tells a level reached this week as the close and the change, once each, and never names the mark', () => {
    expect(phrasings(level(), 'lede')).toEqual(['The VIX closed at 32.1, after it soared 8.2 points.', 'The VIX finished at 32.1, up 8.2 points on the week.']);
    const root = rootOf();
    root.stated.add('close:^VIX');
    expect(phrasings(level(), 'lede', root)).toEqual(['', '']);
    for (const text of [...phrasings(level(), 'lede'), ...phrasings(level(), 'headline'), ...phrasings(level({ wasThere: true }), 'headline')]) expect(text).not.toMatch(/30\.0/);
  });

  it('says nothing of a level held from last week (no news), and records nothing as told', () => {
    const root = rootOf();
    expect(phrasings(level({ wasThere: true, weekChange: -1.04 }), 'lede', root)).toEqual(['', '']);
    expect(root.stated.size).toBe(0);
    expect(phrasings(level({ wasThere: true }), 'headline')).toEqual(['The VIX stays high']);
    expect(phrasings(level({ unit: 'bp', symbol: 'DGS10', op: 'at-or-below', level: 3.9, value: 4 }), 'headline')).toEqual(['The 10-year yield falls to 3.90%']);
  });
});
