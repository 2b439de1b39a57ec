import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { shapeOf } from '../../../src/commentary/realise/relative.js';
import { phrasings, realisers, rootOf } from './fixture.js';

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

  it("keeps both sides' figures: a side already told is named by its figure as a noun, not told again as a move", () => {
    const fresh = phrasings(relative(3, 1), 'lede');
    expect(fresh[0]).toMatch(/, which \w+ 1\.0%\.$/);
    const laggardTold = () => rootOf({ stated: new Set(['move:^GSPC:1W']) });
    const told = [0, 1].map((n) => realisers.get('relative')!.render(relative(3, 1), 'lede', laggardTold(), n));
    expect(told[0]).toMatch(/^The Russell 2000 \w+ 3\.0% this week, against a 1\.0% gain for the S&P 500: a gap of 2\.0 percentage points\.$/);
    expect(told[1]).toMatch(/2\.0 percentage points better than the S&P 500, which had a 1\.0% gain\.$/);
    const leaderTold = rootOf();
    leaderTold.stated.add('move:^RUT:1W');
    expect(phrasings(relative(-1, -3), 'lede', leaderTold)[0]).toBe(
      'The Russell 2000 came out 2.0 percentage points ahead of the S&P 500 this week: a 1.0% loss against a 3.0% loss.',
    );
    // The laggard's figure counts as told once the comparison gives it.
    expect(leaderTold.stated.has('move:^GSPC:1W')).toBe(true);
  });

  it("sizes each side's verb by its own instrument's usual move", () => {
    const root = rootOf({ usual: { '^RUT': 6, '^GSPC': 1 } });
    // 3% is an ordinary week for a 6%-a-week index; the same 3% is a very large one for a 1%-a-week index.
    const text = phrasings(relative(3.2, -3), 'lede', root)[0]!;
    expect(text).toMatch(/Russell 2000 (rose|gained|advanced) 3\.2%/);
    expect(text).toMatch(/S&P 500 (tumbled|plunged) 3\.0%/);
  });

  it('tells the longer gap once per pair and window, only when the leader still trails', () => {
    const root = rootOf();
    const s = relative(3, 1, { longer: { window: 'YTD', gap: -4.2 }, streak: 3 });
    const [first] = phrasings(s, 'detail', root);
    expect(first).toBe(
      'The Russell 2000 has come out ahead of the S&P 500 for three straight weeks. Over the year so far, the Russell 2000 still trails the S&P 500 by 4.2 percentage points.',
    );
    expect(phrasings(s, 'detail', root)[0]).toBe('The Russell 2000 has come out ahead of the S&P 500 for three straight weeks.');
  });

  it('details only news: a streak of three weeks or more, the widest lead in a year, a week against the longer trend', () => {
    expect(phrasings(relative(3, 1, { streak: 2 }), 'detail')).toEqual(['', '']);
    expect(phrasings(relative(3, 1, { streak: 4 }), 'detail')[1]).toBe('The Russell 2000 has now led the S&P 500 four weeks running.');
    // A lead last as wide a few weeks ago is not news; the widest in a year is.
    expect(phrasings(relative(3, 1, { largestSince: '2024-01-12' }), 'detail')).toEqual(['', '']);
    expect(phrasings(relative(3, 1, { largestSince: '2023-01-13', largestInAYear: true }), 'detail')[0]).toBe(
      'No week of the past year saw the Russell 2000 lead the S&P 500 by as much.',
    );
    // Ahead over the longer window too: nothing to add, and the longer gap counts as looked at.
    const root = rootOf();
    expect(phrasings(relative(3, 1, { longer: { window: '3M', gap: 5.1 } }), 'detail', root)).toEqual(['', '']);
    expect(root.stated.has('longer:rut-gspc:3M')).toBe(true);
  });
});
