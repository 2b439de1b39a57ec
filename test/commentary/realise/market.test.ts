import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { rankOf } from '../../../src/commentary/realise/market.js';
import { phrasings, realisers, rootOf } from './fixture.js';

type Market = Extract<Signal, { kind: 'market' }>;
const market = (over: Partial<Market> = {}): Market =>
  ({
    kind: 'market',
    id: 'market-week',
    magnitude: 1,
    topic: 'market',
    symbol: '^GSPC',
    change: 1.3,
    level: 5123.4,
    sessions: 5,
    best: true,
    rank: { span: 5, weeks: 5, onRecord: false, notable: false, from: '1990-01-02' },
    ytd: undefined,
    yearTurn: undefined,
    historyFrom: '1990-01-02',
    standing: undefined,
    ...over,
  }) as Market;
const notable = { since: '2020-11-06', span: 100, weeks: 100, onRecord: false, notable: true, from: '1990-01-02' };
/** Each lede phrasing on its own ledger, after a headline that told the week. */
const afterHeadline = (s: Market) => [0, 1].map((n) => realisers.get('market')!.render(s, 'lede', rootOf({ headlineTold: true }), n));
const bear = { phase: 'bear' as const, fromPeak: 23.4, peak: { date: '2023-07-31', close: 4588.96 }, since: { date: '2023-10-02', close: 3600 } };

describe('market realiser', () => {
  it('headlines a notable week against its past, else the move', () => {
    expect(phrasings(market({ rank: notable }), 'headline')[0]).toBe("The S&P 500's best week since November 2020");
    expect(phrasings(market({ change: -1.3, best: false }), 'headline')[1]).toBe('The S&P 500 ends the week down 1.3%');
    expect(rankOf(market({ rank: { ...notable, since: undefined, onRecord: true } }))).toBe('record');
    expect(rankOf(market({ rank: { ...notable, since: undefined } }))).toBe('from');
  });

  it('tells the week with the close once when the headline did not', () => {
    const root = rootOf();
    expect(phrasings(market({ rank: notable }), 'lede', root)[0]).toMatch(/^The S&P 500 \w+ 1\.3% this week to 5,123\.40, its best week since the week ending November 6, 2020\.$/);
    // The figure and the close are told: the second phrasing keeps the verb and drops both.
    expect(phrasings(market(), 'lede', root)[1]).toMatch(/^This week, the S&P 500 \w+( up)?\.$/);
  });

  it('gives the close once when the headline told the week, with the year or the drawdown', () => {
    const ytd = market({ ytd: 1.1, yearTurn: 'sign' });
    expect(afterHeadline(ytd)).toEqual(['The S&P 500 closed at 5,123.40, up 1.1% for the year.', 'The S&P 500 closed at 5,123.40.']);
    const fell = market({ change: -3.2, standing: bear });
    expect(afterHeadline(fell)).toEqual(['The S&P 500 ended the week at 5,123.40.', 'The S&P 500 closed at 5,123.40, still in a bear market, 23.4% below its July 31, 2023 peak.']);
    const told = rootOf({ headlineTold: true });
    told.stated.add('close:^GSPC');
    expect(phrasings(fell, 'lede', told)).toEqual(['', '']);
  });

  it('tells the year when the week turned it, and the drawdown, each once', () => {
    const turned = market({ change: -2.2, ytd: -1.1, yearTurn: 'sign', standing: { ...bear, phase: 'correction', fromPeak: 12.1 } });
    expect(phrasings(turned, 'detail')).toEqual([
      "The year turned negative for the S&P 500 with this week's move: it is now down 1.1%. The S&P 500 is still in the correction that began on October 2, 2023, 12.1% below its July 31, 2023 peak of 4,588.96.",
      'The S&P 500 is now in the red for the year, down 1.1%. The S&P 500 remains in a correction, 12.1% below its peak of 4,588.96 on July 31, 2023.',
    ]);
    const root = rootOf();
    expect(phrasings(market({ ytd: 20.5, yearTurn: 'mark' }), 'detail', root)[0]).toBe('The S&P 500 is now up 20.5% for the year.');
    expect(phrasings(market({ ytd: 20.5, yearTurn: 'mark' }), 'detail', root)).toEqual(['', '']);
  });
});
