/**
 * The commentary on real history: every week from 2000 to 2022 (the closes committed under
 * test/fixtures/market-data), checked against the numbers, and named weeks read as an editor would
 * write them. Facts the prose claims are recomputed here from the raw closes, independently.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Signal } from '../../src/analysis/index.js';
import { regimesAt, type Phase } from '../../src/analysis/regime.js';
import { backtest, type BacktestReport, type BacktestWeek, namesOf, sentencePatterns } from '../../src/edition/backtest.js';
import { compose, DOWN_VERBS, SUBJECT_LENGTH, findLookbackErrors, loadCommentaryTemplates, nameTable, UP_VERBS } from '../../src/commentary/index.js';
import { loadNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { csvSeries } from '../../src/market/providers/csv.js';
import type { Point } from '../../src/market/types.js';
import { SHARED_DATA, tempDir, testContext } from '../helpers/context.js';
import { snapshotAt } from '../helpers/reference-data.js';

const CONFIG_FILE = join(SHARED_DATA, 'reference.config.json');
const config = loadNewsletter(CONFIG_FILE);
const templates = loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary'));
const fullHistory = csvSeries(SHARED_DATA, config.instruments, new Set(['^GSPC']));
const partialHistory = csvSeries(SHARED_DATA, config.instruments, new Set()).map((s) => ({ ...s, points: s.points.filter((p) => p.date >= '2000-01-01') }));

function edition(asOf: string, series = fullHistory) {
  const analysis = analyze(snapshotAt(series, asOf), config);
  const commentary = compose({ analysis, config, templates });
  const all = [commentary.headline, commentary.lede, ...commentary.sections.flatMap((s) => [s.title, ...s.paragraphs])].join('\n');
  return { analysis, commentary, all };
}
const signal = <K extends Signal['kind']>(signals: Signal[], kind: K) => signals.filter((s): s is Extract<Signal, { kind: K }> => s.kind === kind);

/** Week-on-week changes straight from the closes: Monday-to-Sunday weeks, each ending on its last close. */
function weeklyFromCloses(points: readonly Point[]): Array<{ date: string; change: number }> {
  const mondayOf = (d: string) => {
    const t = new Date(`${d}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() - ((t.getUTCDay() + 6) % 7));
    return t.toISOString().slice(0, 10);
  };
  const ends = points.filter((p, i) => i === points.length - 1 || mondayOf(points[i + 1]!.date) !== mondayOf(p.date));
  return ends.slice(1).map((p, i) => ({ date: p.date, change: (p.close / ends[i]!.close - 1) * 100 }));
}

/**
 * Bull and bear markets found another way: scan for the first close 20% below the running high of the
 * bull market, then for the first close 20% above the running low of the bear market, and so on.
 */
function phasesByScan(points: readonly Point[]): Phase[] {
  const phases: Phase[] = [];
  let i = 0;
  while (i < points.length) {
    let high = points[i]!.close;
    for (; i < points.length; i++) {
      high = Math.max(high, points[i]!.close);
      if (points[i]!.close <= high * 0.8) break;
      phases.push(points[i]!.close <= high * 0.9 ? 'correction' : 'bull');
    }
    let low = Number.POSITIVE_INFINITY;
    for (; i < points.length; i++) {
      low = Math.min(low, points[i]!.close);
      if (points[i]!.close >= low * 1.2) break;
      phases.push('bear');
    }
  }
  return phases;
}

describe('every week from 2000 to 2022', () => {
  it('backtest reports no contradiction, no false "since", no self-reference, no restated headline, no figure told twice', async () => {
    const ctx = testContext({ CONFIG_FILE });
    const report = await backtest(ctx, { from: '2000-01-03', to: '2022-11-18', data: `csv:${SHARED_DATA}`, fullHistory: ['^GSPC'], out: tempDir(), render: false });
    expect(report.weeks.length).toBeGreaterThanOrEqual(1190);
    expect(report.weeks.flatMap((w) => w.contradictions)).toEqual([]);
    expect(report.weeks.flatMap((w) => w.lookbacks)).toEqual([]);
    expect(report.weeks.flatMap((w) => w.style)).toEqual([]);
    // The headline is the subject line: phones cut subjects near 60 characters.
    expect(report.weeks.filter((w) => w.headline.length > SUBJECT_LENGTH).map((w) => w.headline)).toEqual([]);
    // Verbs vary and are calibrated: no verb carries the prose, and the extreme ones stay rare.
    const verbs = report.weeks.flatMap((w) => w.lede.match(new RegExp(`\\b(${[...UP_VERBS, ...DOWN_VERBS].join('|')})\\b`, 'g')) ?? []);
    const share = (verb: string) => verbs.filter((v) => v === verb).length / verbs.length;
    expect(Math.max(...[...UP_VERBS, ...DOWN_VERBS].map(share))).toBeLessThan(0.15);
    expect(share('tumbled') + share('surged')).toBeLessThan(0.1);
  }, 120_000);

  it('tells the day that made the week (an index move of 3% or more in a session) in every such week, found from the closes', () => {
    const names: Record<string, string> = { '^GSPC': 'S&P 500', '^RUT': 'Russell 2000', '^NDX': 'Nasdaq-100', '^DJI': 'Dow' };
    const indices = fullHistory.filter((s) => s.symbol in names);
    const weekEnds = weeklyFromCloses(indices[0]!.points.filter((p) => p.date >= '2000-01-01')).map((w) => w.date);
    const missing: string[] = [];
    let bigWeeks = 0;
    for (const [i, asOf] of weekEnds.entries()) {
      const start = weekEnds[i - 1];
      if (!start) continue;
      // Each index's sessions of the week, each against the session before it.
      const days = indices.flatMap((s) =>
        s.points.flatMap((p, j) => (p.date > start && p.date <= asOf && j > 0 ? [{ symbol: s.symbol, change: (p.close / s.points[j - 1]!.close - 1) * 100 }] : [])),
      );
      const biggest = days.sort((a, b) => Math.abs(b.change) - Math.abs(a.change))[0];
      if (!biggest || Math.abs(biggest.change) < 3) continue;
      bigWeeks++;
      const { all } = edition(asOf);
      const figure = `${Math.abs(biggest.change).toFixed(1)}%`;
      if (!all.includes(figure) || !all.includes(names[biggest.symbol]!)) missing.push(`${asOf}: ${names[biggest.symbol]} ${figure}`);
    }
    expect(bigWeeks).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  }, 120_000);

  it('calls bull markets, corrections and bear markets as an independent scan of the closes does, for every index', () => {
    for (const series of fullHistory) {
      if (series.kind !== 'index') continue;
      const scan = phasesByScan(series.points);
      const indices = series.points.map((_, i) => i);
      const ours = regimesAt(series.points, indices).map((r) => r.phase);
      const mismatches = indices.filter((i) => ours[i] !== scan[i]).map((i) => `${series.symbol} ${series.points[i]!.date}: ${ours[i]} vs ${scan[i]}`);
      expect(mismatches.slice(0, 5)).toEqual([]);
    }
  });
});

describe('names in time', () => {
  it('does not call the Magnificent Seven by that name before the name existed', () => {
    const defaults = loadNewsletter('/nonexistent.json');
    expect(nameTable(defaults, '2022-11-18')['MAG7']).toMatchObject({ shortName: 'the basket of the seven biggest tech stocks', article: false });
    expect(nameTable(defaults, '2024-01-05')['MAG7']).toMatchObject({ shortName: 'Magnificent Seven', article: true });
  });
});

describe('the look-back check', () => {
  it('catches a "since" the closes do not bear out: a week, a lead, a record', () => {
    const { analysis } = edition('2013-03-28');
    const series = fullHistory.map((x) => ({ ...x, points: x.points.filter((p) => p.date <= '2013-03-28') }));
    const units = new Map([...analysis.metrics].map(([symbol, m]) => [symbol, m.unit]));
    expect(findLookbackErrors(analysis.signals, series, units)).toEqual([]);
    const wrong = analysis.signals.map((x) =>
      x.kind === 'record' ? { ...x, since: { date: '2012-01-03', close: 1 }, allTime: false } : x.kind === 'market' ? { ...x, rank: { ...x.rank, since: '2013-03-22' } } : x,
    );
    const problems = findLookbackErrors(wrong, series, units);
    expect(problems.some((p) => p.startsWith('index-records:^GSPC:high'))).toBe(true);
    expect(problems.some((p) => p.startsWith('^GSPC week'))).toBe(true);
  });
});

describe('named weeks', () => {
  it('2008-10-10: the worst week since July 1933 in the full history; the worst of the 2000-2022 data without it', () => {
    const { commentary, analysis } = edition('2008-10-10');
    const weeks = weeklyFromCloses(fullHistory.find((s) => s.symbol === '^GSPC')!.points.filter((p) => p.date <= '2008-10-10'));
    const now = weeks.at(-1)!;
    expect(now.change).toBeCloseTo(-18.195, 2);
    const worse = weeks
      .slice(0, -1)
      .filter((w) => w.change <= now.change)
      .at(-1)!;
    expect(worse.date).toBe('1933-07-21');
    expect(commentary.headline).toMatch(/^The S&P 500.* worst week since July 1933$/);
    expect(commentary.lede).toMatch(/^(The S&P 500|This week, the S&P 500) (tumbled|plunged) 18\.2%.*899\.22.* its worst week since the week ending July 21, 1933\./);
    expect(signal(analysis.signals, 'market')[0]!.rank.since).toBe(worse.date);
    const partial = edition('2008-10-10', partialHistory);
    expect(partial.commentary.lede).toContain('its worst week since at least January 2000');
    // The bear market began in July 2008, measured from the October 2007 peak.
    expect(partial.all).toMatch(
      /(remains in a bear market|still in the bear market that began on July 9, 2008).* 42\.5% below its (peak of 1,565\.15 on October 9, 2007|October 9, 2007 peak of 1,565\.15)/,
    );
  });

  it('2020-02-28: four indices cross into a correction, in the lede, and the VIX ranks below them', () => {
    const { commentary, analysis } = edition('2020-02-28');
    // The landmark heads the sell-off; the lede gives the week's rank.
    expect(commentary.story).toBe('sell-off');
    expect(commentary.headline).toMatch(/^The S&P 500 (crosses|falls) into a correction$/);
    expect(commentary.lede).toMatch(/its worst week since the week ending October 10, 2008/);
    expect(commentary.lede).toMatch(
      /(crossed into a correction on Thursday|On Thursday, the S&P 500 entered a correction), closing 12\.0% below its (peak of 3,386\.15 on February 19, 2020|February 19, 2020 peak of 3,386\.15)/,
    );
    expect(commentary.lede).toContain('The Russell 2000, the Nasdaq-100 and the Dow crossed into a correction this week too.');
    const regime = signal(analysis.signals, 'regime')[0]!;
    const vix = analysis.signals.find((s) => s.id === 'vix-jump-week')!;
    expect(regime.magnitude).toBeGreaterThan(vix.magnitude);
    expect(edition('2020-02-28').all).not.toMatch(/(in|into|entered) a bear market/);
  });

  it('2020-03-20: the worst week since October 2008, still in the bear market that began March 12', () => {
    const { commentary, all } = edition('2020-03-20');
    expect(commentary.headline).toMatch(/worst week since October 2008/);
    expect(commentary.lede).toMatch(/^(The S&P 500|This week, the S&P 500) (tumbled|plunged) 15\.0%.*2,304\.92.* its worst week since the week ending October 10, 2008\./);
    expect(all).toMatch(
      /(remains in a bear market|still in the bear market that began on March 12, 2020).* 31\.9% below its (peak of 3,386\.15 on February 19, 2020|February 19, 2020 peak of 3,386\.15)/,
    );
  });

  it('2011-08-05: a correction from the April high, not a bear market from the 2007 peak', () => {
    const { commentary, all } = edition('2011-08-05');
    expect(commentary.lede).toMatch(
      /(The S&P 500 crossed into a correction on Thursday|On Thursday, the S&P 500 entered a correction), closing 12\.0% below its (peak of 1,363\.61 on April 29, 2011|April 29, 2011 peak of 1,363\.61)\./,
    );
    expect(commentary.lede).toContain('The Dow crossed into a correction this week too.');
    expect(all).not.toMatch(/(in|into|entered) a bear market/);
    expect(all).not.toMatch(/1,565\.15/);
  });

  it('2009-03-13: the best week since November 2008, after the lowest close since 1996 on Monday', () => {
    const { commentary, all } = edition('2009-03-13');
    expect(commentary.headline).toMatch(/^The S&P 500.* best week since November 2008$/);
    expect(commentary.lede).toMatch(/10\.7%.* its best week since the week ending November 28, 2008/);
    expect(all).toMatch(/(On Monday, the S&P 500 closed at a low of 676\.53,|The S&P 500 closed at a low of 676\.53 on Monday,) its lowest close since September 12, 1996/);
  });

  it('2022-11-11: the best week since June, in a bear market that began in June', () => {
    const { commentary, all } = edition('2022-11-11');
    expect(commentary.headline).toMatch(/best week since June 2022/);
    expect(commentary.lede).toMatch(/5\.9%.*its best week since the week ending June 24, 2022/);
    expect(all).toMatch(
      /(still in the bear market that began on June 13, 2022|remains in a bear market).* 16\.8% below its (January 3, 2022 peak of 4,796\.56|peak of 4,796\.56 on January 3, 2022)/,
    );
  });

  it('2013-03-28, a Thursday before Good Friday: four sessions, and the first record in five years', () => {
    const { commentary, analysis } = edition('2013-03-28');
    expect(analysis.metrics.get('^GSPC')!.windows['1W']!.base!.date).toBe('2013-03-22');
    expect(commentary.lede).toContain('in the four-session week');
    expect(commentary.headline).toMatch(/^(The S&P 500 sets its first record in five years|A record for the S&P 500, the first in five years)$/);
    expect(commentary.lede).toContain('its first record close since October 9, 2007: the old record of 1,565.15 stood for five years');
  });

  it('2015-01-02: a four-session New Year week, and a record set on Monday named with the day', () => {
    const { all } = edition('2015-01-02');
    expect(all).toContain('in the four-session week');
    expect(all).toMatch(
      /(On Monday, the S&P 500 closed at a record 2,090\.57,|The S&P 500 closed at a record 2,090\.57 on Monday,) topping the record of 2,088\.77 set on December 26, 2014/,
    );
    expect(all).not.toMatch(/five sessions/);
  });
});

/**
 * Every instrument the edition can tell (indices, the VIX and the yields on their whole history, the eleven
 * sectors, the seven megacaps as a basket against the S&P 500): test/fixtures/market-data/full.config.json.
 */
describe('every week from 2000 to 2022, with sectors, yields and the megacaps', () => {
  const FULL_CONFIG = join(SHARED_DATA, 'full.config.json');
  const full = loadNewsletter(FULL_CONFIG);
  const FULL_HISTORY = ['^GSPC', '^VIX', 'DGS10', 'DGS2'];
  const closes = new Map(csvSeries(SHARED_DATA, full.instruments, new Set(FULL_HISTORY)).map((s) => [s.symbol, s.points]));
  let report: BacktestReport;
  const textOf = (w: BacktestWeek) => [w.headline, w.lede, ...w.sections.flatMap((s) => [s.title, s.text])].join('\n');
  const weekOf = (asOf: string) => report.weeks.find((w) => w.asOf === asOf)!;

  beforeAll(async () => {
    const ctx = testContext({ CONFIG_FILE: FULL_CONFIG });
    report = await backtest(ctx, { from: '2000-01-03', to: '2022-11-18', data: `csv:${SHARED_DATA}`, fullHistory: FULL_HISTORY, out: tempDir(), render: false });
  }, 300_000);

  it('has no false number, no false "since" and no editor-lint finding in any week', () => {
    expect(report.weeks.length).toBeGreaterThanOrEqual(1190);
    expect(report.weeks.flatMap((w) => w.contradictions)).toEqual([]);
    expect(report.weeks.flatMap((w) => w.lookbacks)).toEqual([]);
    expect(report.weeks.flatMap((w) => w.style)).toEqual([]);
  });

  it('tells the biggest index day of 3% or more in every such week, found from the closes', () => {
    const names: Record<string, string> = { '^GSPC': 'S&P 500', '^RUT': 'Russell 2000', '^NDX': 'Nasdaq-100', '^DJI': 'Dow' };
    const missing: string[] = [];
    let bigWeeks = 0;
    for (const [i, w] of report.weeks.entries()) {
      const start = report.weeks[i - 1]?.asOf;
      if (!start) continue;
      const days = Object.keys(names).flatMap((symbol) => {
        const points = closes.get(symbol)!;
        return points.flatMap((p, j) => (p.date > start && p.date <= w.asOf && j > 0 ? [{ symbol, change: (p.close / points[j - 1]!.close - 1) * 100 }] : []));
      });
      const biggest = days.sort((a, b) => Math.abs(b.change) - Math.abs(a.change))[0];
      if (!biggest || Math.abs(biggest.change) < 3) continue;
      bigWeeks++;
      const figure = `${Math.abs(biggest.change).toFixed(1)}%`;
      const text = textOf(w);
      if (!text.includes(figure) || !text.includes(names[biggest.symbol]!)) missing.push(`${w.asOf}: ${names[biggest.symbol]} ${figure}`);
    }
    expect(bigWeeks).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('tells the seven megacaps against the S&P 500 in every week they were 2 points or more apart, from the closes', () => {
    const members = full.baskets[0]!.members;
    const weekly = (symbol: string, start: string, end: string) => {
      const points = closes.get(symbol)!;
      const base = points.filter((p) => p.date <= start).at(-1);
      const last = points.filter((p) => p.date <= end).at(-1);
      return base && last && base.date !== last.date ? (last.close / base.close - 1) * 100 : undefined;
    };
    const missing: string[] = [];
    let wide = 0;
    for (const [i, w] of report.weeks.entries()) {
      const start = report.weeks[i - 1]?.asOf;
      if (!start) continue;
      const changes = members.map((m) => weekly(m, start, w.asOf));
      const spx = weekly('^GSPC', start, w.asOf);
      if (spx === undefined || changes.some((c) => c === undefined)) continue;
      const seven = changes.reduce((a, b) => a! + b!, 0)! / members.length;
      if (Math.abs(seven - spx) < 2.05) continue;
      wide++;
      const name = nameTable(full, w.asOf)['MAG7']!.shortName;
      if (!textOf(w).toLowerCase().includes(name.toLowerCase())) missing.push(`${w.asOf}: ${(seven - spx).toFixed(1)} points`);
    }
    expect(wide).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('uses no sentence pattern (figures, names, days and dates blanked) in more than 10% of editions', () => {
    const [top] = sentencePatterns(report.weeks, namesOf(full));
    expect(report.patterns[0]).toEqual(top);
    expect(top!.share, top!.pattern).toBeLessThanOrEqual(0.1);
  });

  it('ranks the VIX and the yields on their whole history, never on a year of it', () => {
    expect(report.weeks.filter((w) => /(VIX|yield)[^.]*(in 52 weeks|in a year|past year|at least \d+ years)/.test(textOf(w))).map((w) => w.asOf)).toEqual([]);
    expect(textOf(weekOf('2020-03-20'))).toMatch(/VIX closed at a record 82\.7 on Monday|On Monday, the VIX closed at a record 82\.7/);
    expect(textOf(weekOf('2022-06-17'))).toMatch(/10-year yield[^.]*3\.49%[^.]*its highest close since April 14, 2011/);
  });
});
