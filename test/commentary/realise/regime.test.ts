import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { shapeOf } from '../../../src/commentary/realise/regime.js';
import { phrasings, rootOf } from './fixture.js';

type Regime = Extract<Signal, { kind: 'regime' }>;
const regime = (over: Partial<Regime> = {}): Regime =>
  ({
    kind: 'regime',
    id: 'regime-^GSPC',
    magnitude: 1,
    topic: 'market',
    symbol: '^GSPC',
    event: 'bear',
    again: false,
    level: 3600,
    crossed: { date: '2024-03-06', close: 3700 },
    crossedFrom: 20.4,
    peak: { date: '2024-01-03', close: 4650 },
    fromPeak: 22.6,
    low: undefined,
    fromLow: undefined,
    others: [],
    ...over,
  }) as Regime;

describe('regime realiser', () => {
  it('names the crossing: a bear market, a correction, a return to one, a new bull market', () => {
    expect(shapeOf(regime())).toBe('enter');
    expect(shapeOf(regime({ event: 'correction', again: true }))).toBe('again');
    expect(shapeOf(regime({ event: 'bull' }))).toBe('bull');
    expect(phrasings(regime(), 'headline')).toEqual(['The S&P 500 crosses into a bear market', 'The S&P 500 falls into a bear market']);
    expect(phrasings(regime({ event: 'correction' }), 'title')).toEqual(['Correction territory', 'Into a correction']);
  });

  it('gives one measure, the crossing close, and others with the right number', () => {
    const [lede] = phrasings(regime({ others: ['^NDX', '^RUT'] }), 'lede');
    expect(lede).toBe(
      'The S&P 500 crossed into a bear market on Wednesday, closing 20.4% below its peak of 4,650.00 on January 3, 2024. The Nasdaq-100 and the Russell 2000 crossed into a bear market this week too.',
    );
    expect(phrasings(regime({ event: 'correction', again: true }), 'lede')[1]).toBe(
      'On Wednesday, the S&P 500 slipped back into a correction, closing 20.4% below its January 3, 2024 peak of 4,650.00.',
    );
    const bull = regime({ event: 'bull', low: { date: '2023-10-27', close: 4100 }, crossedFrom: 20.1, fromLow: 21, others: ['^NDX', '^RUT'] });
    expect(phrasings(bull, 'lede')[1]).toMatch(
      /^The S&P 500 is in a new bull market: on Wednesday it closed 20\.1% above its bear-market low of 4,100\.00 on October 27, 2023, past the usual 20% line\. The Nasdaq-100 and the Russell 2000 also ended their bear market\.$/,
    );
    // The week's close is the market story's, not the regime's.
    expect(phrasings(bull, 'lede').join(' ')).not.toMatch(/week's (end|close)|21\.0%/);
  });

  it('tells a regime once per instrument', () => {
    const root = rootOf();
    expect(phrasings(regime(), 'lede', root)[0]).not.toBe('');
    expect(phrasings(regime(), 'lede', root)).toEqual(['', '']);
  });
});
