import { describe, expect, it } from 'vitest';
import { directionVerb, formatChange, formatLevel, formatMove, formatSize, shown } from '../../src/commentary/index.js';

describe('number helpers', () => {
  it('formats signed changes in each unit', () => {
    expect(formatChange(1.234, 'pct')).toBe('+1.2%');
    expect(formatChange(-14.4, 'bp')).toBe('-14 bp');
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

  it('scales direction verbs by size and window, and never says up for a fall', () => {
    expect(directionVerb(0.2, 'pct')).toBe('edged up');
    expect(directionVerb(1.2, 'pct')).toBe('rose');
    expect(directionVerb(3, 'pct')).toBe('climbed');
    expect(directionVerb(6.3, 'pct')).toBe('surged');
    expect(directionVerb(-6.3, 'pct')).toBe('tumbled');
    expect(directionVerb(6.3, 'pct', '1Y')).toBe('rose');
    expect(directionVerb(-0.01, 'pct')).toBe('was flat');
    expect(formatMove(-14, 'bp')).toBe('fell 14 basis points');
    for (let x = -10; x <= 10; x += 0.01) {
      const verb = directionVerb(x, 'pct');
      if (shown(x, 'pct') > 0) expect(['edged up', 'rose', 'climbed', 'surged', 'was flat']).toContain(verb);
      if (shown(x, 'pct') < 0) expect(['edged down', 'fell', 'slid', 'tumbled', 'was flat']).toContain(verb);
    }
  });
});
