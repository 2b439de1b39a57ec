import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { directionVerb, DOWN_VERBS, duration, handlebarsErrorMessage, sizeBand, UP_VERBS, weekPhrase } from '../../src/commentary/index.js';
import { articleFor } from '../../src/commentary/helpers.js';
import { formatChange, formatLevel, formatSize, shown } from '../../src/shared/format.js';

describe('number helpers', () => {
  it('formats signed changes in each unit', () => {
    expect(formatChange(1.234, 'pct')).toBe('+1.2%');
    expect(formatChange(-14.4, 'bp')).toBe('\u221214 bp'); // U+2212, the minus sign;
    expect(formatChange(3.21, 'pt')).toBe('+3.2 pts');
    expect(formatChange(-0.04, 'pct')).toBe('0.0%'); // rounds to zero: no sign, never "-0.0%"
  });

  it('states sizes and levels for prose', () => {
    expect(formatSize(-14, 'bp')).toBe('14 basis points');
    expect(formatSize(1, 'pt')).toBe('1.0 points');
    expect(formatSize(-7.91, 'pct')).toBe('7.9%');
    expect(formatLevel(22400, 'pct')).toBe('22,400.00');
    expect(formatLevel(4.12, 'bp')).toBe('4.12%');
    expect(formatLevel(34.6, 'pt')).toBe('34.6');
  });

  it("sizes a move against the instrument's own usual move when known, else fixed bands", () => {
    // A 3% week is large for a 2%-a-week index and ordinary for a 6%-a-week one.
    expect(sizeBand(3, 'pct', '1W', 2)).toBe(2);
    expect(sizeBand(3, 'pct', '1W', 6)).toBe(1);
    expect(sizeBand(0.2, 'pct', '1W', 2)).toBe(0);
    expect(sizeBand(6.3, 'pct', '1W', undefined)).toBe(3);
    // Longer windows scale the bands with the square root of time.
    expect(sizeBand(6.3, 'pct', '1Y', undefined)).toBe(1);
  });

  it('never says up for a fall, varies its verbs, and says "little changed" at zero', () => {
    const seen = new Set<string>();
    for (let x = -10; x <= 10; x += 0.01) {
      for (const week of [1, 2, 3]) {
        const verb = directionVerb(x, 'pct', '1W', 2, week, String(x));
        seen.add(verb);
        if (shown(x, 'pct') > 0) expect(UP_VERBS).toContain(verb);
        if (shown(x, 'pct') < 0) expect(DOWN_VERBS).toContain(verb);
        if (shown(x, 'pct') === 0) expect(verb).toBe('was little changed');
      }
    }
    // No two verbs carry the prose: each band has several.
    expect(seen.size).toBeGreaterThanOrEqual(15);
    expect(directionVerb(30, 'bp', '1W', 5, 2, 'k')).not.toBe('rallied'); // a rally is a price word
  });

  it("counts a holiday week's sessions and says how long a record stood", () => {
    expect(weekPhrase(5)).toBe('this week');
    expect(weekPhrase(4)).toBe('in the four-session week');
    expect(duration('2022-01-03', '2024-01-19')).toBe('two years');
    expect(duration('2023-01-03', '2024-01-19')).toBe('more than a year');
    expect(duration('2023-10-03', '2024-01-19')).toBe('three months');
    expect(duration('2024-01-03', '2024-01-19')).toBe('two weeks');
  });
});

describe('template errors', () => {
  it('keep what is wrong and where, on one line', () => {
    let message = '';
    try {
      Handlebars.parse('a\n\n{{#if}}');
    } catch (error) {
      message = handlebarsErrorMessage(error);
    }
    expect(message).toMatch(/^Parse error on line 3: Expecting .*got 'EOF' \(near "a\{\{#if\}\}"\)$/);
  });
});

describe('articles before figures', () => {
  it('says "an" before a figure read with a vowel sound (eight, eleven, eighteen), "a" before the rest', () => {
    expect(['8.8%', '80.1%', '11.2%', '18%', '1.8%', '110.0%', '2.0%'].map(articleFor)).toEqual(['an', 'an', 'an', 'an', 'a', 'a', 'a']);
  });
});
