/**
 * The truth checks read the typed facts behind each sentence: each fact is recomputed from the closes,
 * so a wrong figure, a wrong since-date or a wrong direction is caught, and a fact that holds passes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { compose, loadCommentaryTemplates } from '../../src/commentary/index.js';
import type { Commentary } from '../../src/commentary/compose.js';
import { type Fact, factSchema } from '../../src/commentary/facts.js';
import { findFactErrors } from '../../src/commentary/truth.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { demoSnapshot } from '../../src/market/index.js';

/** Weekly closes on Fridays from 2024-01-05, one a week: each week's change is the step between two closes. */
const fridays = (closes: number[]) => closes.map((close, i) => ({ date: new Date(Date.UTC(2024, 0, 5 + 7 * i)).toISOString().slice(0, 10), close }));
// Weeks to 2024-01-12 +10%, -5%, +2%, -10% (to 2024-02-02), +5%, then -8% in the last week (to 2024-02-16).
const points = fridays([100, 110, 104.5, 106.59, 95.931, 100.72755, 92.669346]);
const series = [
  { symbol: 'IDX', points },
  { symbol: 'SMALL', points: fridays([50, 50, 50, 50, 50, 50, 47]) },
];
const last = points.at(-1)!.date;

/** An edition whose lede states these facts. */
const edition = (...facts: Fact[]): Commentary => ({
  headline: 'h',
  lede: 'The index fell 8.0%.',
  ledeSignalIds: [],
  ledeFacts: facts.map((f) => factSchema.parse(f)),
  preheader: '',
  sections: [],
  story: 'market-week',
  mustTell: [],
  ranking: [],
});
const week = (change: number): Fact => ({ kind: 'move', symbol: 'IDX', window: '1W', date: last, change, unit: 'pct' });

describe('the truth checks over typed facts', () => {
  it('passes facts that match the closes', () => {
    const facts: Fact[] = [
      week(-8),
      { kind: 'level', symbol: 'IDX', date: last, close: 92.669346 },
      // Its worst week since the -10% to 2024-02-02.
      { kind: 'since', symbol: 'IDX', date: last, change: -8, unit: 'pct', since: '2024-02-02' },
      { kind: 'gap', a: 'SMALL', b: 'IDX', date: last, points: 2 },
      { kind: 'record', symbol: 'IDX', extreme: 'low', date: last, close: 92.669346, since: undefined, allTime: true },
      { kind: 'regime', symbol: 'IDX', regime: 'correction', date: last, peak: { date: '2024-01-12', close: 110 }, fromPeak: (92.669346 / 110 - 1) * 100 },
    ];
    expect(findFactErrors(edition(...facts), series)).toEqual([]);
  });

  it('catches a wrong figure, and names the sentence', () => {
    const [error] = findFactErrors(edition(week(-7)), series);
    expect(error).toMatch(/IDX's week was -7\.99.*, not -7: "The index fell 8.0%."/);
    expect(findFactErrors(edition({ kind: 'level', symbol: 'IDX', date: last, close: 92.67 }), series)).toHaveLength(1);
  });

  it('catches a wrong direction', () => {
    expect(findFactErrors(edition(week(8)), series)).toHaveLength(1);
    expect(findFactErrors(edition({ kind: 'gap', a: 'IDX', b: 'SMALL', date: last, points: 2 }), series)).toHaveLength(1);
  });

  it('catches a wrong since-date: a week not as big, or one with a week as big after it', () => {
    const since = (date: string): Extract<Fact, { kind: 'since' }> => ({ kind: 'since', symbol: 'IDX', date: last, change: -8, unit: 'pct', since: date });
    // The week to 2024-01-19 fell 5%: not as far as 8%.
    expect(findFactErrors(edition(since('2024-01-19')), series)[0]).toMatch(/not as far down/);
    // A 4% fall "the worst since the week to 2024-01-19" (-5%): the -10% week to 2024-02-02 came after it.
    expect(findFactErrors(edition({ ...since('2024-01-19'), change: -4 }), series)[0]).toMatch(/the week ending 2024-02-02 moved as far, after 2024-01-19/);
  });

  it('catches a record that is none, and a record whose since-date is wrong', () => {
    const record = (f: Partial<Extract<Fact, { kind: 'record' }>>): Fact => ({
      kind: 'record',
      symbol: 'IDX',
      extreme: 'high',
      date: '2024-01-26',
      close: 106.59,
      allTime: false,
      ...f,
    });
    expect(findFactErrors(edition(record({ allTime: true })), series)).toHaveLength(1);
    expect(findFactErrors(edition(record({ since: '2024-01-12' })), series)).toEqual([]);
    expect(findFactErrors(edition(record({ since: '2024-01-05' })), series)).toHaveLength(1);
  });
});

describe('the facts an edition carries', () => {
  it('states the lede’s facts and each section paragraph’s, and they hold against the closes served', () => {
    const config = parseNewsletter({});
    const snapshot = demoSnapshot('risk-off', '2026-11-20', config, new Date('2026-11-21T00:00:00Z'));
    const commentary = compose({ analysis: analyze(snapshot, config), config, templates: loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary')) });
    expect(commentary.ledeFacts.map((f) => f.kind)).toContain('move');
    expect(commentary.sections.flatMap((s) => s.facts ?? []).flat().length).toBeGreaterThan(0);
    expect(findFactErrors(commentary, snapshot.series, config.baskets)).toEqual([]);
    // A figure changed behind a sentence is found, and the finding names it.
    const ledeFacts = commentary.ledeFacts.map((f) => (f.kind === 'move' && f.window === '1W' ? { ...f, change: f.change + 1 } : f));
    const wrong = { ...commentary, ledeFacts };
    expect(findFactErrors(wrong, snapshot.series, config.baskets)[0]).toContain(commentary.lede);
  });
});
