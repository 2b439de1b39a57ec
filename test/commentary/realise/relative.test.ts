import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { shapeOf } from '../../../src/commentary/realise/relative.js';
import { phrasings, rootOf } from './fixture.js';

type Relative = Extract<Signal, { kind: 'relative' }>;
const relative = (leader: number, laggard: number, over: Partial<Relative> = {}): Relative =>
  ({
    kind: 'relative',
    id: 'small-vs-large',
    magnitude: 1,
    topic: 'breadth',
    window: '1W',
    leader: { symbol: '^RUT', change: leader },
    laggard: { symbol: '^GSPC', change: laggard },
    gap: leader - laggard,
    streak: undefined,
    largestSince: undefined,
    largestInAYear: false,
    pair: 'rut-gspc',
    longer: undefined,
    alongside: undefined,
    ...over,
  }) as Relative;

describe('relative realiser', () => {
  it('chooses its frame from the signs: fell less, beat, or opposite ways', () => {
    expect(shapeOf(relative(-1, -3))).toBe('less');
    expect(shapeOf(relative(3, 1))).toBe('beat');
    expect(shapeOf(relative(2, -1))).toBe('split');
    expect(phrasings(relative(-1, -3), 'headline')[0]).toBe('Small caps fell less than large caps this week');
    expect(phrasings(relative(3, 1), 'headline')[0]).toBe('Small caps beat large caps by 2.0 percentage points this week');
    expect(phrasings(relative(2, -1), 'headline')[0]).toBe('Small caps up, large caps down this week');
    // Never "led" of a fall.
    for (const text of [...phrasings(relative(-1, -3), 'lede'), ...phrasings(relative(-1, -3), 'headline')]) expect(text).not.toMatch(/\bled\b|\bbeat\b/);
  });

  it('leaves the week understood in its second headline, not a longer window', () => {
    expect(phrasings(relative(3, 1), 'headline')[1]).toBe('Small caps ahead of large caps by 2.0 percentage points');
    expect(phrasings(relative(3, 1, { window: 'YTD' }), 'headline')[1]).toBe('Small caps ahead of large caps by 2.0 percentage points so far this year');
  });

  it("tells the laggard's figure once, through the typed ledger", () => {
    const fresh = phrasings(relative(3, 1), 'lede');
    expect(fresh[0]).toMatch(/, which \w+ 1\.0%\.$/);
    const root = rootOf();
    root.stated.add('move:^GSPC:1W');
    const told = phrasings(relative(3, 1), 'lede', root);
    expect(told[0]).toMatch(/2\.0 percentage points more than the S&P 500\.$/);
    expect(told[1]).toMatch(/beat the S&P 500 by 2\.0 percentage points\.$/);
  });

  it('tells the longer gap once per pair and window, only when the leader still trails', () => {
    const root = rootOf();
    const s = relative(3, 1, { longer: { window: 'YTD', gap: -4.2 }, streak: 3 });
    const [first] = phrasings(s, 'detail', root);
    expect(first).toBe(
      'The Russell 2000 has come out ahead of the S&P 500 for three straight weeks. The Russell 2000 still trails the S&P 500 by 4.2 percentage points over the year so far.',
    );
    expect(phrasings(s, 'detail', root)[0]).toBe('The Russell 2000 has come out ahead of the S&P 500 for three straight weeks.');
  });

  it('details only news: a streak of three weeks or more, the widest lead in a year, a week against the longer trend', () => {
    expect(phrasings(relative(3, 1, { streak: 2 }), 'detail')).toEqual(['', '']);
    expect(phrasings(relative(3, 1, { streak: 4 }), 'detail')[1]).toBe('The Russell 2000 has now led the S&P 500 four weeks running.');
    // A lead last as wide a few weeks ago is not news; the widest in a year is.
    expect(phrasings(relative(3, 1, { largestSince: '2024-01-12' }), 'detail')).toEqual(['', '']);
    expect(phrasings(relative(3, 1, { largestSince: '2023-01-13', largestInAYear: true }), 'detail')[0]).toBe(
      'The Russell 2000 has not led the S&P 500 by as much in any week of the past year.',
    );
    // Ahead over the longer window too: nothing to add, and the longer gap counts as looked at.
    const root = rootOf();
    expect(phrasings(relative(3, 1, { longer: { window: '3M', gap: 5.1 } }), 'detail', root)).toEqual(['', '']);
    expect(root.stated.has('longer:rut-gspc:3M')).toBe(true);
  });
});
