import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { titleOf } from '../../../src/commentary/realise/record.js';
import { phrasings, rootOf } from './fixture.js';

type Record_ = Extract<Signal, { kind: 'record' }>;
const record = (over: Partial<Record_> = {}): Record_ =>
  ({
    kind: 'record',
    id: 'records-^GSPC',
    magnitude: 1,
    topic: 'market',
    symbol: '^GSPC',
    unit: 'pct',
    extreme: 'high',
    record: { date: '2024-03-06', close: 5104.76 },
    atClose: false,
    level: 5078.65,
    since: undefined,
    allTime: true,
    previous: { date: '2024-02-29', close: 5096.27 },
    records: [{ date: '2024-03-06', close: 5104.76 }],
    beaten: { date: '2024-02-29', close: 5096.27 },
    yearsSince: 0,
    yearsStood: 0,
    yearsOfData: 20,
    ...over,
  }) as Record_;

describe('record realiser', () => {
  it('titles by asset class, then by the kind of extreme', () => {
    expect(titleOf(record({ unit: 'pt' }))).toBe('volatility');
    expect(titleOf(record({ unit: 'bp' }))).toBe('rates');
    expect(titleOf(record())).toBe('records');
    expect(titleOf(record({ allTime: false, extreme: 'low' }))).toBe('lows');
  });

  it('names the record beaten, or how long the old one stood', () => {
    expect(phrasings(record(), 'lede')[0]).toBe(
      'The S&P 500 closed at a record 5,104.76 on Wednesday, topping the record of 5,096.27 set on February 29, 2024; it ended the week at 5,078.65.',
    );
    const first = record({ beaten: { date: '2021-01-04', close: 3700 }, yearsSince: 3 });
    expect(phrasings(first, 'headline')).toEqual(['A record for the S&P 500, the first in three years', 'The S&P 500 sets its first record in three years']);
    expect(phrasings(first, 'lede')[1]).toMatch(
      /^On Wednesday, the S&P 500 closed at a record 5,104\.76, its first record close since January 4, 2021: the old record of 3,700\.00 stood for three years; /,
    );
  });

  it('tells the close once: after it, only what kind of close it was', () => {
    const root = rootOf();
    const s = record({ atClose: true, allTime: false, since: { date: '2019-05-01', close: 5200 } });
    expect(phrasings(s, 'lede', root)[0]).toBe('The S&P 500 closed at a high of 5,104.76 on Wednesday, its highest close since May 1, 2019.');
    expect(phrasings(s, 'lede', root)).toEqual(['The S&P 500 ended the week at its highest close since May 1, 2019.', "The S&P 500's close was its highest since May 1, 2019."]);
    expect(phrasings(record({ allTime: false, since: undefined, yearsOfData: 1 }), 'headline')).toEqual(['The S&P 500 hits a 52-week high', 'The S&P 500 at a 52-week high']);
  });
});
