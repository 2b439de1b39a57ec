import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { phrasings, rootOf } from './fixture.js';

type Curve = Extract<Signal, { kind: 'curve' }>;
const curve = (over: Partial<Curve> = {}): Curve =>
  ({
    kind: 'curve',
    id: 'curve',
    magnitude: 1,
    topic: 'rates',
    window: '1W',
    long: { symbol: 'DGS10', change: 5 },
    short: { symbol: 'DGS2', change: -7 },
    threshold: 5,
    spread: 12,
    spreadChange: 12,
    crossedZero: false,
    ...over,
  }) as Curve;

describe('curve realiser', () => {
  it("names the curve's move with its own verbs, and a change of sign when there was one", () => {
    expect(phrasings(curve(), 'headline')).toEqual(['The yield curve steepened this week', 'A steepened yield curve this week']);
    expect(phrasings(curve({ spreadChange: -8, spread: -3, crossedZero: true }), 'headline')).toEqual(['The yield curve flattened this week', 'The yield curve changes sign']);
    expect(phrasings(curve({ spreadChange: -8, spread: -3, crossedZero: true }), 'lede')).toEqual([
      'The yield curve flattened this week: the gap between 10-year and 2-year Treasury yields moved by 8 basis points to −3 bp, changing sign.',
      'This week, the gap between 10-year and 2-year Treasury yields moved by 8 basis points to −3 bp: the curve flattened and changed sign.',
    ]);
    // Never "A held steady yield curve".
    expect(phrasings(curve({ spreadChange: 0.2 }), 'headline')[1]).toBe('The yield curve held steady this week');
  });

  it("tells the short yield's move once, glossed at first mention", () => {
    const root = rootOf();
    expect(phrasings(curve(), 'detail', root)[0]).toMatch(/^The 2-year yield, the bond market's read of the Fed's path, \w+ 7 basis points this week\.$/);
    expect(phrasings(curve(), 'detail', root)).toEqual(['', '']);
  });
});
