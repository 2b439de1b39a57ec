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
    expect(phrasings(curve(), 'lede')).toEqual([
      'The yield curve steepened this week: the gap between 10-year and 2-year Treasury yields moved by 12 basis points to +12 bp.',
      'This week, the gap between 10-year and 2-year Treasury yields widened by 12 basis points to 12 basis points: the curve steepened.',
      'Ten-year Treasuries ended yielding 12 basis points more than 2-year notes, a gap 12 basis points wider than a week earlier: the curve steepened.',
    ]);
    // Never "A held steady yield curve".
    expect(phrasings(curve({ spreadChange: 0.2 }), 'headline')[1]).toBe('The yield curve held steady this week');
  });

  it('tells an inverted curve as one: inverted, turned positive, stayed inverted', () => {
    expect(new Set(phrasings(curve({ spreadChange: -8, spread: -3, crossedZero: true }), 'lede'))).toEqual(
      new Set(['The yield curve inverted this week: the 10-year Treasury yield ended 3 basis points below the 2-year.']),
    );
    expect(new Set(phrasings(curve({ spreadChange: 8, spread: 3, crossedZero: true }), 'lede'))).toEqual(
      new Set(['The yield curve turned positive this week: the 10-year Treasury yield ended 3 basis points above the 2-year.']),
    );
    expect(phrasings(curve({ spreadChange: 8, spread: -30 }), 'lede')[0]).toBe(
      'The yield curve stayed inverted this week: the 10-year Treasury yield ended 30 basis points below the 2-year, a gap 8 basis points narrower than a week earlier.',
    );
    expect(phrasings(curve({ spreadChange: -8, spread: -30 }), 'lede')[2]).toMatch(/a gap 8 basis points wider than a week earlier\.$/);
  });

  it("tells the short end's move only from 5 basis points", () => {
    const root = rootOf();
    expect(phrasings(curve({ short: { symbol: 'DGS2', change: 4.9 } }), 'detail', root)).toEqual(['', '']);
    expect(root.stated.size).toBe(0);
    expect(phrasings(curve({ short: { symbol: 'DGS2', change: -5.2 } }), 'detail')[1]).toMatch(
      /^This week, the 2-year yield, the bond market's read of the Fed's path, \w+ 5 basis points\.$/,
    );
  });

  it("tells the short yield's move once, glossed at first mention", () => {
    const root = rootOf();
    expect(phrasings(curve(), 'detail', root)[0]).toMatch(/^The 2-year yield, the bond market's read of the Fed's path, \w+ 7 basis points this week\.$/);
    expect(phrasings(curve(), 'detail', root)).toEqual(['', '']);
  });
});
