/**
 * Commentary never contradicts its numbers: every "verb + number" pair is checked against the signal
 * it describes, and every comparison names the real leader, across scenarios and phrasings.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { compose, DOWN_VERBS, findContradictions, statedChanges, formatSize, loadCommentaryTemplates, nameTable, shown, UP_VERBS } from '../../src/commentary/index.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/context.js';
import type { ScenarioName } from '../../src/market/providers/demo.js';
import { demoSnapshot, scenarioNames } from '../../src/market/index.js';

const config = parseNewsletter({});
const templates = loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary'));
const names = nameTable(config);
const label = (symbol: string) => names[symbol]!.shortName;
/** Phrasing turns with the week: twelve weeks' worth of phrasings over the same numbers. */
const weeks = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 10, 20) - i * 7 * 86_400_000).toISOString().slice(0, 10));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(scenarioNames)('commentary for %s', (scenario) => {
  const snapshot = demoSnapshot(scenario as ScenarioName, '2026-11-20', config, new Date('2026-11-21T14:00:00Z'));
  const analysis = analyze(snapshot, { ...config });

  it.each(weeks)('phrased as in the week of %s: no sentence contradicts its number', (asOf) => {
    const commentary = compose({ analysis: { ...analysis, asOf }, config: { ...config, maxSections: 20 }, editionId: 'test', templates });
    const bySignal = new Map(analysis.signals.map((s) => [s.id, s]));
    expect(commentary.sections.length).toBe(analysis.signals.length);
    for (const section of commentary.sections) {
      const signal = bySignal.get(section.signalId)!;
      const text = section.paragraphs.join(' ');
      const allowed = statedChanges(signal);
      const verbs = [...UP_VERBS, ...DOWN_VERBS].map(escape).join('|');
      for (const match of text.matchAll(new RegExp(`\\b(${verbs}) ([0-9.,]+(?:%| basis points?| points?))`, 'g'))) {
        const up = UP_VERBS.includes(match[1]!);
        const ok = allowed.some((c) => (up ? shown(c.value, c.unit) > 0 : shown(c.value, c.unit) < 0) && formatSize(c.value, c.unit) === match[2]);
        expect(ok, `"${match[0]}" in: ${text}`).toBe(true);
      }
      if (signal.kind === 'relative') {
        // The leader is named before the laggard in every sentence that compares them.
        const leader = label(signal.leader.symbol);
        const laggard = label(signal.laggard.symbol);
        for (const sentence of text.split(/(?<=\.)\s/)) {
          if (sentence.includes(leader) && sentence.includes(laggard)) expect(sentence.indexOf(leader), sentence).toBeLessThan(sentence.indexOf(laggard));
        }
        expect(signal.leader.change).toBeGreaterThan(signal.laggard.change);
      }
      if (signal.kind === 'leaders') {
        for (const m of [...signal.leaders, ...signal.laggards]) expect(text).toContain(`${label(m.symbol)} (${m.change > 0 && shown(m.change, 'pct') !== 0 ? '+' : ''}`);
      }
    }
    // The headline is the top section's story.
    const top = commentary.sections[0]!;
    const topSignal = bySignal.get(top.signalId)!;
    if (topSignal.kind === 'relative') {
      // Named or by theme ("small caps"), the leader comes first.
      const at = (symbol: string) => {
        const h = commentary.headline.toLowerCase();
        const spots = [label(symbol), names[symbol]!.theme ?? ''].map((n) => (n ? h.indexOf(n.toLowerCase()) : -1)).filter((i) => i >= 0);
        return Math.min(...spots);
      };
      expect(at(topSignal.leader.symbol)).toBeLessThan(at(topSignal.laggard.symbol));
    }
  });

  it('picks the same phrasing for the same week, and a different one the next week', () => {
    const a = compose({ analysis, config, editionId: '2026-W47', templates });
    expect(compose({ analysis, config, editionId: '2026-W47', templates })).toEqual(a);
    const next = compose({ analysis: { ...analysis, asOf: '2026-11-27' }, config, editionId: '2026-W48', templates });
    expect(next.headline).not.toBe(a.headline);
  });
});

describe('findContradictions (used by backtest)', () => {
  it('passes true commentary and catches a verb that lies', () => {
    const snapshot = demoSnapshot('risk-off', '2026-11-20', config, new Date());
    const analysis = analyze(snapshot, config);
    const commentary = compose({ analysis, config: { ...config, maxSections: 20 }, editionId: '2026-W47', templates });
    expect(findContradictions(commentary, analysis.signals, names)).toEqual([]);
    const lying = { ...commentary, sections: commentary.sections.map((s) => ({ ...s, paragraphs: s.paragraphs.map((p) => p.replace('tumbled', 'surged')) })) };
    expect(findContradictions(lying, analysis.signals, names).length).toBeGreaterThan(0);
  });
});

describe('headline for the small-cap rally', () => {
  it('says small caps beat large caps by the computed gap', () => {
    const snapshot = demoSnapshot('small-cap-rally', '2026-11-20', config, new Date());
    const analysis = analyze(snapshot, config);
    const rut = analysis.metrics.get('^RUT')!.windows['1W']!.change;
    const spx = analysis.metrics.get('^GSPC')!.windows['1W']!.change;
    const commentary = compose({ analysis, config, editionId: '2026-W47', templates });
    expect(commentary.headline).toContain(`${(rut - spx).toFixed(1)} points`);
    expect(commentary.headline).toMatch(/Russell 2000|small caps/i);
  });
});
