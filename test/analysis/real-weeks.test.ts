/** Real weeks from ../shared/market-data produce the signals a strategist would expect. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Signal } from '../../src/analysis/index.js';
import { compose, loadCommentaryTemplates } from '../../src/commentary/index.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/context.js';
import { referenceSeries } from '../helpers/reference-data.js';

const index = (symbol: string, name: string, theme: string) => ({ symbol, name, shortName: name, theme, kind: 'index' as const, group: 'benchmarks', required: true });
const config = parseNewsletter({
  instruments: [index('^GSPC', 'S&P 500', 'large caps'), index('^RUT', 'Russell 2000', 'small caps'), index('^DJI', 'Dow', 'blue chips')],
  baskets: [],
  tableGroups: ['benchmarks'],
  rules: [
    { id: 'small-vs-large-week', kind: 'relative', a: '^RUT', b: '^GSPC', window: '1W', threshold: 2 },
    { id: 'small-vs-large-month', kind: 'relative', a: '^RUT', b: '^GSPC', window: '1M', threshold: 1 },
    { id: 'sp500-week', kind: 'move', instrument: '^GSPC', window: '1W', threshold: 2 },
    { id: 'drawdowns', kind: 'drawdown', group: 'benchmarks', thresholds: [10, 20] },
    { id: 'biggest-day', kind: 'biggest-day', group: 'benchmarks', threshold: 2 },
  ],
});
const templates = loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary'));

function week(asOf: string) {
  const series = [referenceSeries('GSPC.csv', '^GSPC', 'S&P 500'), referenceSeries('RUT.csv', '^RUT', 'Russell 2000'), referenceSeries('DJI.csv', '^DJI', 'Dow')]
    .map((s) => ({ ...s, points: s.points.filter((p) => p.date <= asOf) }));
  const analysis = analyze({ asOf, series, source: 'reference', fetchedAt: asOf, demo: false, sources: {}, issues: [], notes: [] }, config);
  return { analysis, commentary: compose({ analysis, config: { ...config, maxSections: 10 }, editionId: asOf, templates }) };
}
const find = <K extends Signal['kind']>(signals: Signal[], kind: K, id?: string) => signals.filter((s): s is Extract<Signal, { kind: K }> => s.kind === kind && (!id || s.id.startsWith(id)));

describe('real weeks', () => {
  it('week ending 2008-10-10: a crash in which small caps fell less than large caps', () => {
    const { analysis, commentary } = week('2008-10-10');
    const [relative] = find(analysis.signals, 'relative', 'small-vs-large-week');
    expect(relative).toMatchObject({ leader: { symbol: '^RUT' }, laggard: { symbol: '^GSPC' } });
    expect(relative!.leader.change).toBeCloseTo(-15.65, 2);
    expect(relative!.laggard.change).toBeCloseTo(-18.2, 2);
    const text = commentary.sections.map((s) => s.paragraphs.join(' ')).join(' ');
    expect(text).toContain('tumbled 15.6%'); // -15.649%
    expect(text).toContain('tumbled 18.2%');
    expect(text).not.toMatch(/Russell 2000 (rose|climbed|surged|edged up)/);
    expect(find(analysis.signals, 'biggest-day')[0]).toMatchObject({ symbol: '^RUT' });
  });

  it('week ending 2020-02-28: the S&P 500 crossed into a correction', () => {
    const { analysis, commentary } = week('2020-02-28');
    const [correction] = find(analysis.signals, 'drawdown', 'drawdowns:^GSPC');
    expect(correction).toMatchObject({ name: 'correction', threshold: 10, peakDate: '2020-02-19' });
    expect(correction!.fromPeak).toBeCloseTo((2954.219971 / 3386.149902 - 1) * 100, 2);
    const paragraph = commentary.sections.find((s) => s.signalId === 'drawdowns:^GSPC')!.paragraphs[0]!;
    for (const fact of ['12.8% below', '3,386.15', 'February 19, 2020', 'correction']) expect(paragraph).toContain(fact);
  });

  it('month ending 2022-11-18: the Russell 2000 lagged, so no small-cap outperformance is claimed', () => {
    const { analysis, commentary } = week('2022-11-18');
    const month = find(analysis.signals, 'relative', 'small-vs-large-month');
    expect(month).toHaveLength(1);
    expect(month[0]).toMatchObject({ leader: { symbol: '^GSPC' }, laggard: { symbol: '^RUT' } });
    expect(month[0]!.gap).toBeCloseTo(6.6 - 5.34, 1);
    const all = [commentary.headline, ...commentary.sections.flatMap((s) => [s.title, ...s.paragraphs])].join(' ');
    expect(all).not.toMatch(/Small caps (lead|did better)|Russell 2000 (beat|outpaced)|in favour of small caps/);
  });
});
