import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { sinceOf } from '../../../src/commentary/realise/biggest-day.js';
import { phrasings, rootOf } from './fixture.js';

type Day = Extract<Signal, { kind: 'biggest-day' }>;
const day = (over: Partial<Day> = {}): Day =>
  ({
    kind: 'biggest-day',
    id: 'biggest-day',
    magnitude: 1,
    topic: 'market',
    symbol: '^GSPC',
    date: '2024-03-06',
    change: -2.4,
    rank: { span: 30, onRecord: false, from: '1990-01-02' },
    threshold: 2,
    ...over,
  }) as Day;

describe('biggest-day realiser', () => {
  it('tells the day and its move, the figure always given', () => {
    const root = rootOf();
    expect(phrasings(day(), 'headline', root)[0]).toMatch(/^The S&P 500 \w+ 2\.4% on Wednesday$/);
    expect(phrasings(day(), 'lede', root)[1]).toMatch(/^On Wednesday alone, the S&P 500 \w+ 2\.4%, the biggest one-session move of the week\.$/);
    expect(root.stated.size).toBe(0);
  });

  it('names the past only when no day as big came in a year (250 sessions)', () => {
    expect(phrasings(day({ rank: { since: '2023-01-03', span: 250, onRecord: false, from: '1990-01-02' } }), 'lede').join(' ')).not.toMatch(/its biggest/);
    const since = day({ change: 5.4, rank: { since: '2008-10-28', span: 3000, onRecord: false, from: '1990-01-02' } });
    expect(sinceOf(since)).toBe('date');
    expect(phrasings(since, 'lede')[0]).toMatch(/, its biggest one-day gain since October 2008\.$/);
    expect(phrasings(since, 'lede')[1]).toMatch(/of the week and its biggest one-day gain since October 2008\.$/);
    const record = day({ change: -9.4, rank: { span: 3000, onRecord: true, from: '1927-12-30' } });
    expect(sinceOf(record)).toBe('record');
    expect(phrasings(record, 'lede')[0]).toMatch(/its biggest one-day drop on record\.$/);
    const from = day({ change: -9.4, rank: { span: 3000, onRecord: false, from: '1990-01-02' } });
    expect(sinceOf(from)).toBe('from');
    expect(phrasings(from, 'lede')[0]).toMatch(/its biggest one-day drop since at least January 1990\.$/);
  });
});
