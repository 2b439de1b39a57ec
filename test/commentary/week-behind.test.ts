/**
 * The week behind as the edition tells it: each release's first-published figure beside the market's
 * move that day, recomputed here from the served values and the closes; never as a cause (the lint);
 * and an edition with releases in it still passes the truth checks and the editor's lint.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { buildEdition, editionFromSnapshot, editionParts } from '../../src/edition/build.js';
import { compose, findContradictions, findStyleProblems, lintEdition, loadCommentaryTemplates, nameTable, type Commentary } from '../../src/commentary/index.js';
import { planWeekBehind, sessionMove, withoutToldDays } from '../../src/commentary/plan/week-behind.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { demoSnapshot, scenarioNames, type Snapshot } from '../../src/market/index.js';
import { demoSeries, demoWeekBehind } from '../../src/market/providers/demo.js';
import type { Release } from '../../src/market/types.js';
import { fetchWeekBehind } from '../../src/market/week-behind.js';
import { FIXED_NOW, testContext } from '../helpers/context.js';
import { startProviderServer, type ProviderServer } from '../helpers/provider-server.js';
import { serveWeekBehind } from '../helpers/week-behind.js';

const config = parseNewsletter({});
const templates = loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary'));
const names = nameTable(config);
const snapshot = demoSnapshot('small-cap-rally', '2026-11-20', config, FIXED_NOW);

/** The 2-year yield's move on a day, in whole basis points, from the closes themselves. */
function twoYearOn(s: Snapshot, date: string): string {
  const points = s.series.find((x) => x.symbol === 'DGS2')!.points;
  const i = points.findIndex((p) => p.date === date);
  const bp = Math.round((points[i]!.close - points[i - 1]!.close) * 100);
  if (bp === 0) return 'the 2-year yield was unchanged that day';
  return `the 2-year yield ${bp > 0 ? 'rose' : 'fell'} ${Math.abs(bp)} basis point${Math.abs(bp) === 1 ? '' : 's'} that day`;
}

/** Either sentence shape the frames allow, for a fact written capitalised. */
const eitherShape = (fact: string, weekday: string, move: string) => [
  `${fact}, data on ${weekday} showed; ${move}.`,
  `${weekday}'s figures showed that ${fact.charAt(0).toLowerCase()}${fact.slice(1)}; ${move}.`,
];

describe('the week behind, planned', () => {
  const release = (over: Partial<Release>): Release => ({ date: '2026-11-18', series: 'CPIAUCSL', period: '2026-10-01', value: 323.8, previous: 324.1, ...over });

  it('computes each figure from the values first published, beside the move of that day', () => {
    const facts = planWeekBehind(
      [
        release({}),
        release({ date: '2026-11-20', series: 'PAYEMS', value: 159_419, previous: 159_300 }),
        release({ date: '2026-11-20', series: 'UNRATE', value: 4.4, previous: 4.3 }),
      ],
      snapshot.series,
      '2026-11-20',
    );
    expect(facts.map((f) => [f.kind, f.date, Number(f.change.toFixed(4))])).toEqual([
      ['cpi', '2026-11-18', Number(((323.8 / 324.1 - 1) * 100).toFixed(4))],
      ['jobs', '2026-11-20', 119],
    ]);
    expect(facts[1]!.jobless).toEqual({ rate: 4.4, previous: 4.3 });
    const dgs2 = snapshot.series.find((s) => s.symbol === 'DGS2')!;
    expect(facts[0]!.move).toEqual(sessionMove(dgs2, '2026-11-18'));
    expect(facts[0]!.move?.unit).toBe('bp');
  });

  it("tells only the edition's week, a day's move once, and stocks beside GDP and retail sales", () => {
    const facts = planWeekBehind(
      [
        release({ date: '2026-11-13' }), // the week before
        release({ date: '2026-11-18', series: 'RSAFS', value: 735_000, previous: 732_000 }),
        release({ date: '2026-11-18', series: 'PAYEMS', value: 1, previous: 0 }), // no unemployment rate with it: not the jobs report
      ],
      snapshot.series,
      '2026-11-20',
    );
    expect(facts).toHaveLength(1);
    expect(facts[0]!.kind).toBe('retail-sales');
    expect(facts[0]!.move?.symbol).toBe('^GSPC');
    const two = planWeekBehind([release({}), release({ series: 'PCEPI', value: 127.2, previous: 127 })], snapshot.series, '2026-11-20');
    expect(two.map((f) => f.move !== undefined)).toEqual([true, false]);
  });
});

describe('the week behind, told', () => {
  let server: ProviderServer;
  beforeAll(async () => {
    server = await startProviderServer();
    serveWeekBehind(server);
  });
  afterAll(async () => server.close());

  it('renders in the edition with the right numbers, and the edition passes the truth checks and the lint', async () => {
    const settings = { FRED_BASE_URL: `${server.url}/fred`, FRED_API_KEY: 'k'.repeat(32), MARKET_TIMEOUT_MS: 500 };
    const weekBehind = await fetchWeekBehind(settings, '2026-11-20', []);
    const ctx = testContext();
    const edition = await editionFromSnapshot({ ...snapshot, weekBehind }, editionParts(ctx));
    const text = edition.text.replace(/\s+/g, ' ');
    // October's CPI: 323.8 after 324.1 as published on 2026-11-18 (-0.09%), not the revision's +0.2%.
    const cpi = eitherShape(`Consumer prices fell ${Math.abs((323.8 / 324.1 - 1) * 100).toFixed(1)}% in October`, 'Wednesday', twoYearOn(snapshot, '2026-11-18'));
    expect(
      cpi.some((s) => text.includes(s)),
      `${cpi.join(' | ')}\n${text}`,
    ).toBe(true);
    const jobs = eitherShape(
      `Employers added ${((159_419 - 159_300) * 1000).toLocaleString('en-US')} jobs in October and the unemployment rate rose to 4.4%`,
      'Friday',
      twoYearOn(snapshot, '2026-11-20'),
    );
    expect(
      jobs.some((s) => text.includes(s)),
      jobs.join(' | '),
    ).toBe(true);
    expect(text).toContain("THE WEEK'S DATA");
    expect(edition.html).toContain('Consumer prices fell 0.1% in October');
    expectClean(edition.commentary, edition.analysis);
  });

  it('comes through a live edition end to end, and is simply absent without a FRED key', async () => {
    for (const series of demoSeries({ scenario: 'small-cap-rally', asOf: '2026-11-20', instruments: config.instruments })) server.data.set(series.symbol, series.points);
    const env = { YAHOO_BASE_URL: server.url, FRED_BASE_URL: `${server.url}/fred`, FRED_API_KEY: 'test-key', MARKET_DATA: 'live', MARKET_TIMEOUT_MS: '2000' };
    const live = await buildEdition(testContext(env), { data: 'live' });
    expect(live.snapshot.weekBehind?.map((r) => r.series)).toEqual(['CPIAUCSL', 'PAYEMS', 'UNRATE']);
    const cpi = eitherShape('Consumer prices fell 0.1% in October', 'Wednesday', twoYearOn(live.snapshot, '2026-11-18'));
    expect(cpi.some((x) => live.text.replace(/\s+/g, ' ').includes(x))).toBe(true);
    const keyless = await buildEdition(testContext({ ...env, FRED_API_KEY: '' }), { data: 'live' });
    expect(keyless.snapshot.weekBehind).toBeUndefined();
    expect(keyless.snapshot.notes).toContain("the week behind is left out: FRED_API_KEY is not set (FRED publishes the releases' first values)");
    expect(keyless.text).not.toContain("THE WEEK'S DATA");
  });

  it('shows a plausible week behind in a demo edition', async () => {
    const edition = await buildEdition(testContext(), { data: 'demo' });
    const text = edition.text.replace(/\s+/g, ' ');
    expect(edition.snapshot.weekBehind).toEqual(demoWeekBehind('2026-11-20'));
    expect(text).toMatch(/The economy grew at a 2\.8% annual rate in the third quarter|that the economy grew at a 2\.8% annual rate in the third quarter/);
    expect(text).toMatch(/mployers added 119,000 jobs in October and the unemployment rate rose to 4\.4%/);
    expectClean(edition.commentary, edition.analysis);
  });
});

function expectClean(commentary: Commentary, analysis: ReturnType<typeof analyze>): void {
  expect(lintEdition(commentary)).toEqual([]);
  expect(findContradictions(commentary, analysis.signals, names)).toEqual([]);
  expect(findStyleProblems(commentary, analysis, names)).toEqual([]);
}

describe('the week behind, checked', () => {
  const weeks = Array.from({ length: 8 }, (_, i) => new Date(Date.UTC(2026, 10, 20) - i * 7 * 86_400_000).toISOString().slice(0, 10));

  it.each(scenarioNames)('%s: every phrasing passes the truth checks and the lint, with releases in the week', (scenario) => {
    const s = demoSnapshot(scenario, '2026-11-20', config, FIXED_NOW);
    const analysis = analyze(s, config);
    const weekBehind = planWeekBehind(s.weekBehind ?? [], s.series, s.asOf);
    for (const asOf of weeks) {
      const commentary = compose({ analysis: { ...analysis, asOf }, config, templates, weekBehind });
      expect(commentary.sections.some((x) => x.topic === 'week-behind')).toBe(true);
      expectClean(commentary, analysis);
    }
  });

  it('reads two releases with the same figure as two facts, not one told twice', () => {
    const same = (series: Release['series'], date: string): Release => ({ date, series, period: '2026-10-01', value: 100.3, previous: 100 });
    const weekBehind = planWeekBehind([same('CPIAUCSL', '2026-11-18'), same('PCEPI', '2026-11-19'), same('RSAFS', '2026-11-17')], snapshot.series, snapshot.asOf);
    const analysis = analyze(snapshot, config);
    const commentary = compose({ analysis, config, templates, weekBehind });
    expect(commentary.sections.find((x) => x.topic === 'week-behind')!.paragraphs[0]!.match(/rose 0\.3% in October/g)).toHaveLength(3);
    expectClean(commentary, analysis);
  });

  it("leaves out a release day's move the body told as the week's biggest day", () => {
    const melt = demoSnapshot('mega-cap-melt-up', '2026-11-20', config, FIXED_NOW);
    const analysis = analyze(melt, config);
    const day = analysis.signals.find((x) => x.kind === 'biggest-day');
    if (day?.kind !== 'biggest-day') throw new Error('the scenario has a biggest day');
    const fact = { kind: 'retail-sales' as const, date: day.date, period: '2026-10-01', change: 1, move: { symbol: day.symbol, change: day.change, unit: 'pct' as const } };
    const commentary = compose({ analysis, config, templates, weekBehind: [fact] });
    expect(commentary.lede + commentary.sections.flatMap((x) => x.paragraphs).join(' ')).toContain('alone, the Nasdaq');
    expect(commentary.sections.find((x) => x.topic === 'week-behind')!.paragraphs[0]).not.toContain('that day');
    expect(withoutToldDays([fact], [{ symbol: '^GSPC', date: day.date }])).toEqual([fact]);
  });

  it('strikes a release told as the cause of the market move', () => {
    const commentary = compose({ analysis: analyze(snapshot, config), config, templates, weekBehind: planWeekBehind(snapshot.weekBehind ?? [], snapshot.series, snapshot.asOf) });
    const behind = commentary.sections.find((x) => x.topic === 'week-behind')!;
    for (const causal of [
      'Consumer prices fell 0.1% in June, sending the 2-year yield 11 basis points lower.',
      'The 2-year yield fell 11 basis points after data on Thursday showed consumer prices fell 0.1%.',
      'Stocks rose because retail sales rose 0.4% in October.',
      'The S&P 500 rose 0.6% as investors digested the GDP report.',
      'Yields fell on the news that employers added 119,000 jobs.',
    ]) {
      const struck = lintEdition({ ...commentary, sections: commentary.sections.map((x) => (x === behind ? { ...x, paragraphs: [causal] } : x)) });
      expect(
        struck.map((f) => f.rule),
        causal,
      ).toContain('causal');
    }
    expect(lintEdition(commentary).filter((f) => f.rule === 'causal')).toEqual([]);
  });
});
