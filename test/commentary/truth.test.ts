/**
 * Commentary never contradicts its numbers: every "verb + number" is checked against the signals the
 * sentence tells, every comparison names the real leader first, and the style rules hold (no
 * self-reference, no bare instrument titles, no figure told twice), across scenarios and phrasings.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, statedChanges } from '../../src/analysis/index.js';
import { compose, DOWN_VERBS, findContradictions, findStyleProblems, lintEdition, loadCommentaryTemplates, nameTable, UP_VERBS } from '../../src/commentary/index.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { escapeRegExp } from '../../src/shared/escape.js';
import { formatSize, shown } from '../../src/shared/format.js';
import { demoSnapshot, scenarioNames } from '../../src/market/index.js';
import type { ScenarioName } from '../../src/market/providers/demo.js';

const config = parseNewsletter({});
const templates = loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary'));
const names = nameTable(config);
/** Phrasing turns with the week: twelve weeks' worth of phrasings over the same numbers. */
const weeks = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 10, 20) - i * 7 * 86_400_000).toISOString().slice(0, 10));
const verbNumber = new RegExp(`\\b(${[...UP_VERBS, ...DOWN_VERBS].map(escapeRegExp).join('|')}) ([0-9.,]+(?:%| basis points?| points?))`, 'g');

describe.each(scenarioNames)('commentary for %s', (scenario) => {
  const snapshot = demoSnapshot(scenario as ScenarioName, '2026-11-20', config, new Date('2026-11-21T14:00:00Z'));
  const analysis = analyze(snapshot, config);

  it.each(weeks)('phrased as in the week of %s: every figure agrees with its signal, told once', (asOf) => {
    const commentary = compose({ analysis: { ...analysis, asOf }, config, templates });
    const bySignal = new Map(analysis.signals.map((s) => [s.id, s]));
    const tellings = [
      { text: commentary.lede, ids: commentary.ledeSignalIds },
      ...commentary.sections.flatMap((s) => s.paragraphs.map((text, i) => ({ text, ids: [s.signalIds[i]!] }))),
    ];
    for (const { text, ids } of tellings) {
      const allowed = ids.flatMap((id) => (bySignal.has(id) ? statedChanges(bySignal.get(id)!) : []));
      for (const match of text.matchAll(verbNumber)) {
        const up = UP_VERBS.includes(match[1]!);
        const ok = allowed.some((c) => (up ? shown(c.value, c.unit) > 0 : shown(c.value, c.unit) < 0) && formatSize(c.value, c.unit) === match[2]);
        expect(ok, `"${match[0]}" in: ${text}`).toBe(true);
      }
    }
    expect(commentary.lede.split(/(?<=\.) /).length).toBeGreaterThanOrEqual(2);
    expect(commentary.sections.length).toBeLessThanOrEqual(config.maxSections);
    // The story first, with its evidence, and nothing an editor would strike.
    expect(lintEdition(commentary)).toEqual([]);
    expect(findContradictions(commentary, analysis.signals, names)).toEqual([]);
    expect(findStyleProblems(commentary, analysis, names)).toEqual([]);
  });

  it('picks the same phrasing for the same week, and a different one the next week', () => {
    const a = compose({ analysis, config, templates });
    expect(compose({ analysis, config, templates })).toEqual(a);
    const next = compose({ analysis: { ...analysis, asOf: '2026-11-27' }, config, templates });
    expect(next.lede).not.toBe(a.lede);
  });
});

describe('the checks used by backtest', () => {
  const analysis = analyze(demoSnapshot('risk-off', '2026-11-20', config, new Date()), config);
  const commentary = compose({ analysis, config, templates });

  it('passes true commentary and catches a verb that lies', () => {
    expect(findContradictions(commentary, analysis.signals, names)).toEqual([]);
    const [first] = commentary.lede.match(verbNumber) ?? [];
    expect(first).toBeDefined();
    const flipped = first!.replace(/^\S+( \S+)?(?= \d)/, (verb) => (UP_VERBS.includes(verb) ? 'tumbled' : 'surged'));
    const lying = { ...commentary, lede: commentary.lede.replace(first!, flipped) };
    expect(findContradictions(lying, analysis.signals, names).length).toBeGreaterThan(0);
  });

  it('catches self-reference, a bare instrument title and a figure told twice', () => {
    expect(findStyleProblems(commentary, analysis, names)).toEqual([]);
    const [figure] = commentary.lede.match(verbNumber) ?? [];
    const broken = {
      ...commentary,
      sections: [
        {
          topic: 'market' as const,
          title: 'The Russell 2000',
          paragraphs: [`That is more than the 2.0 points this newsletter treats as notable. It ${figure}.`],
          signalIds: ['x'],
        },
        ...commentary.sections,
      ],
    };
    const problems = findStyleProblems(broken, analysis, names);
    expect(problems.some((p) => p.startsWith('self-reference'))).toBe(true);
    expect(problems.some((p) => p.startsWith('a bare instrument name'))).toBe(true);
    expect(problems.some((p) => p.startsWith('a figure told 2 times'))).toBe(true);
  });

  it('holds the lede to three sentences, and the lint flags a fourth', () => {
    expect(commentary.lede.split(/(?<=[.!?])\s+(?=[A-Z])/).length).toBeLessThanOrEqual(3);
    const long = { ...commentary, lede: 'Stocks fell. Bonds rose. The VIX jumped. The dollar slipped.' };
    expect(lintEdition(long).map((f) => f.rule)).toContain('long-lede');
  });
});

describe('the small-cap rally', () => {
  it('leads with the broad market, then small caps beating large caps by the computed gap, yields alongside', () => {
    const analysis = analyze(demoSnapshot('small-cap-rally', '2026-11-20', config, new Date()), config);
    const rut = analysis.metrics.get('^RUT')!.windows['1W']!.change;
    const spx = analysis.metrics.get('^GSPC')!.windows['1W']!.change;
    const commentary = compose({ analysis, config, templates });
    expect(commentary.headline).toMatch(/Russell 2000|small caps/i);
    expect(commentary.lede).toContain(`${(rut - spx).toFixed(1)} percentage points`);
    expect(commentary.lede).toMatch(/Russell 2000/);
    expect(commentary.lede).toMatch(/S&P 500/);
    // The 2-year yield fell while small caps led: told alongside, never as a cause.
    expect(commentary.lede).toMatch(/came as the 2-year yield.* (fell|declined|slid|dropped|sank|tumbled|plunged|lost) \d+ basis points/);
    expect(commentary.lede).not.toMatch(/because|due to|sensitive to/);
    expect(commentary.preheader).toBe(`S&P 500 ${spx >= 0 ? '+' : ''}${spx.toFixed(1)}% · Russell 2000 +${rut.toFixed(1)}% · 10-year yield 4.12%`);
  });
});
