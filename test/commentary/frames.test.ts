/**
 * Frames hold words and slots only: the converted kinds' templates carry no logic, every frame a
 * realiser may ask for exists, and a frames file that breaks its spec fails at load, naming the frame.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGNAL_KINDS } from '../../src/analysis/index.js';
import { parseFrames, say } from '../../src/commentary/frames.js';
import { loadRealisers, REALISERS } from '../../src/commentary/realise/index.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';

const DIR = join(PROJECT_ROOT, 'templates/commentary');
const spec = { title: [], 'lede.up': ['name', 'moved'] } as const;

describe('frames', () => {
  it('turns among phrasings and fills typed slots', () => {
    const frames = parseFrames('x.hbs', '{{!-- title --}}\nRates\n{{!-- lede.up --}}\n{{name}} {{moved}}.\n{{!-- lede.up --}}\n{{name}} was {{moved}}.', spec);
    const texts = [0, 1].map((week) => say(frames, 'lede.up', week, 'k', { name: 'The VIX', moved: 'rose' }));
    expect(new Set(texts)).toEqual(new Set(['The VIX rose.', 'The VIX was rose.']));
  });

  it('fails at load on a missing frame, an unknown frame, an unknown slot, or any logic', () => {
    const load = (source: string) => () => parseFrames('x.hbs', source, spec);
    expect(load('{{!-- title --}}\nRates')).toThrow(/x\.hbs: needs at least one \{\{!-- lede\.up --\}\} frame/);
    expect(load('{{!-- title --}}\nRates\n{{!-- lede.upp --}}\n{{name}}')).toThrow(/x\.hbs:3: unknown frame "lede\.upp"/);
    expect(load('{{!-- title --}}\nRates\n{{!-- lede.up --}}\n{{nam}} {{moved}}')).toThrow(/x\.hbs:4: frame "lede\.up": no slot named nam/);
    expect(load('{{!-- title --}}\nRates\n{{!-- lede.up --}}\n{{#if name}}{{name}}{{/if}}')).toThrow(/frame "lede\.up": frames hold words/);
    expect(load('{{!-- title --}}\nRates\n{{!-- lede.up --}}\n{{the name}}')).toThrow(/frame "lede\.up": frames hold words/);
  });

  it('a slot left unfilled throws rather than printing a blank', () => {
    const frames = parseFrames('x.hbs', '{{!-- title --}}\nRates\n{{!-- lede.up --}}\n{{name}} {{moved}}.', spec);
    expect(() => say(frames, 'lede.up', 0, 'k', { name: 'The VIX' } as never)).toThrow(/moved/);
  });
});

describe('the converted kinds', () => {
  const kinds = Object.keys(REALISERS);

  it('are every signal kind, market.hbs and biggest-day.hbs the last two', () => {
    expect([...kinds].sort()).toEqual([...SIGNAL_KINDS].sort());
    expect(kinds).toEqual(expect.arrayContaining(['market', 'biggest-day']));
  });

  it('keep only words in their templates: no conditionals, comparisons, concatenated keys or told-once blocks', () => {
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) {
      const source = readFileSync(join(DIR, `${kind}.hbs`), 'utf8');
      expect(source, kind).not.toMatch(/\{\{[#/^]|\{\{else\b|\(\s*(?:eq|gt|lt|concat)\b|\{\{\s*(?:eq|gt|lt|concat|once|onceFigure)\b/);
    }
  });

  it('load with every frame their realiser may ask for', () => {
    const loaded = loadRealisers(DIR);
    expect([...loaded.keys()].sort()).toEqual([...kinds].sort());
  });
});
