/**
 * Content selection on real history: every story kind that the committed closes can show is chosen in
 * the weeks whose closes say so, recomputed here from the closes, and named weeks tell their story.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { compose, loadCommentaryTemplates } from '../../src/commentary/index.js';
import { BIG_DAY, BROAD_MOVE } from '../../src/commentary/plan/stories.js';
import { loadNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { csvSeries } from '../../src/market/providers/csv.js';
import { SHARED_DATA } from '../helpers/context.js';
import { snapshotAt } from '../helpers/reference-data.js';

const config = loadNewsletter(join(SHARED_DATA, 'reference.config.json'));
const templates = loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary'));
const history = csvSeries(SHARED_DATA, config.instruments, new Set(['^GSPC']));

function week(asOf: string) {
  const analysis = analyze(snapshotAt(history, asOf), config);
  return { analysis, commentary: compose({ analysis, config, templates }) };
}

/** The S&P 500's change over the week ending `asOf`, and each index's biggest session in it, from the closes. */
function fromCloses(asOf: string) {
  const spx = history.find((s) => s.symbol === '^GSPC')!.points.filter((p) => p.date <= asOf);
  const monday = new Date(`${asOf}T00:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const start = monday.toISOString().slice(0, 10);
  const base = spx.filter((p) => p.date < start).at(-1)!;
  const weekChange = (spx.at(-1)!.close / base.close - 1) * 100;
  const days = history
    .filter((s) => s.kind === 'index')
    .flatMap((s) => s.points.flatMap((p, i) => (p.date >= start && p.date <= asOf && i > 0 ? [(p.close / s.points[i - 1]!.close - 1) * 100] : [])));
  return { weekChange, biggestDay: days.sort((a, b) => Math.abs(b) - Math.abs(a))[0] ?? 0 };
}

describe('the week is told as the story its closes show', () => {
  it('2008-10-10 and 2020-03-20 are sell-offs led by the market, with the day that made the week in the lede', () => {
    for (const asOf of ['2008-10-10', '2020-03-20']) {
      const { commentary } = week(asOf);
      expect(commentary.story).toBe('sell-off');
      expect(commentary.headline).toMatch(/^The S&P 500's worst week since/);
      expect(commentary.lede).toMatch(/(biggest one-day move|biggest one-session move)/);
    }
    expect(week('2020-03-20').commentary.lede).toMatch(/On Monday alone, the Russell 2000 tumbled 14\.3%/);
  });

  it('2022-06-17: the bear market entered on Monday heads the sell-off', () => {
    const { commentary } = week('2022-06-17');
    expect(commentary.story).toBe('sell-off');
    expect(commentary.headline).toMatch(/bear market/);
    expect(commentary.lede).toMatch(/^The S&P 500 crossed into a bear market on Monday/);
    expect(commentary.lede).toMatch(/5\.8%.*its worst week since the week ending March 20, 2020/);
  });

  it('2020-11-13: blue chips up while big tech fell is a rotation, with small caps beside it', () => {
    const { commentary } = week('2020-11-13');
    expect(commentary.story).toBe('rotation');
    expect(commentary.lede).toMatch(/^Blue chips and big tech parted ways this week: the Dow rose 4\.1% and the Nasdaq-100 lost 1\.3%/);
    expect(commentary.lede).toMatch(/Russell 2000/);
  });

  it('over every week 2000-2022, a sell-off or rally is chosen exactly when the closes show a broad move or a big day made the week', () => {
    const fridays: string[] = [];
    for (let t = Date.parse('2000-01-14'); t <= Date.parse('2022-11-18'); t += 7 * 86_400_000) fridays.push(new Date(t).toISOString().slice(0, 10));
    const kinds = new Map<string, number>();
    for (const asOf of fridays) {
      const { commentary } = week(asOf);
      kinds.set(commentary.story, (kinds.get(commentary.story) ?? 0) + 1);
      const { weekChange, biggestDay } = fromCloses(asOf);
      if (Math.abs(weekChange) >= BROAD_MOVE + 0.05) expect(commentary.story, asOf).toBe(weekChange > 0 ? 'rally' : 'sell-off');
      if (commentary.story === 'round-trip') {
        expect(Math.abs(biggestDay), asOf).toBeGreaterThanOrEqual(BIG_DAY - 0.05);
        expect(Math.sign(weekChange) !== Math.sign(biggestDay) || Math.abs(weekChange) < Math.abs(biggestDay) / 3 + 0.05, asOf).toBe(true);
      }
    }
    // The kinds these five indices can show all occur; none takes over.
    for (const kind of ['sell-off', 'rally', 'round-trip', 'rotation', 'quiet-record', 'market-week']) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
    expect(Math.max(...kinds.values()) / fridays.length).toBeLessThan(0.8);
  }, 120_000);
});

/** The named weeks of issue 21 with every instrument: sectors, the VIX and the yields on their whole history, the megacaps. */
describe('named weeks, told with sectors, yields and the megacaps', () => {
  const fullConfig = loadNewsletter(join(SHARED_DATA, 'full.config.json'));
  const fullHistory = csvSeries(SHARED_DATA, fullConfig.instruments, new Set(['^GSPC', '^VIX', 'DGS10', 'DGS2']));
  function told(asOf: string) {
    const commentary = compose({ analysis: analyze(snapshotAt(fullHistory, asOf), fullConfig), config: fullConfig, templates });
    return { commentary, all: [commentary.headline, commentary.lede, ...commentary.sections.flatMap((s) => [s.title, ...s.paragraphs])].join('\n') };
  }

  it('each week is the story its closes show', () => {
    expect(told('2008-10-10').commentary.story).toBe('sell-off');
    expect(told('2011-08-05').commentary.story).toBe('sell-off');
    expect(told('2020-11-13').commentary.story).toBe('rotation');
    expect(told('2022-11-11').commentary.story).toBe('rally');
  });

  it('2013-06-21 is a rate shock: the 10-year yield (FRED) up 38 basis points to 2.52%, headlined, its biggest weekly rise since 2003', () => {
    const { commentary } = told('2013-06-21');
    expect(commentary.story).toBe('rate-shock');
    expect(commentary.headline).toMatch(/^The 10-year yield's biggest weekly rise since March 2003$/);
    expect(commentary.lede).toMatch(/10-year yield [a-z]+ 38 basis points[^.]*2\.52%/);
  });

  it("2020-03-20: Monday's 14.3% drop in the Russell 2000 and the VIX's record close of 82.7 that day", () => {
    const { commentary, all } = told('2020-03-20');
    expect(commentary.lede).toMatch(/Monday[^.]*Russell 2000 [a-z]+ 14\.3%|Russell 2000 [a-z]+ 14\.3%[^.]*Monday/);
    expect(all).toMatch(/VIX closed at a record 82\.7 on Monday|On Monday, the VIX closed at a record 82\.7/);
  });

  it("2022-06-17: the bear market heads the edition; the 10-year yield's highest close since April 2011", () => {
    const { commentary, all } = told('2022-06-17');
    expect(commentary.headline).toMatch(/bear market/);
    expect(all).toMatch(/10-year yield closed at a high of 3\.49% on Tuesday, its highest close since April 14, 2011/);
    // The day that made the week, with its rank on the index's history when no day as big came in a year.
    expect(all).toMatch(/Russell 2000 dropped 4\.8%, its biggest one-day drop since June 2020/);
  });
});
