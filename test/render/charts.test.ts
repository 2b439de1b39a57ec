/** Charts are real PNGs of the stated size whose bars and line go the way the numbers do. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_TEXT, NARROWEST_CHART, relativeLineChart, textWidth, weekBarsChart } from '../../src/render/charts.js';
import { PALETTE } from '../../src/render/palette.js';

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

/** The x range of pixels of one colour on a row of the decoded image. */
function colouredSpan(png: PNG, y: number, colour: string, from = 0, to = png.width): [number, number] | undefined {
  const [r, g, b] = hex(colour);
  let first = -1;
  let last = -1;
  for (let x = Math.ceil(from); x < to; x++) {
    const i = (png.width * y + x) * 4;
    if (Math.abs(png.data[i]! - r!) < 8 && Math.abs(png.data[i + 1]! - g!) < 8 && Math.abs(png.data[i + 2]! - b!) < 8) {
      if (first < 0) first = x;
      last = x;
    }
  }
  return first < 0 ? undefined : [first, last];
}

const row = (name: string, change: number) => ({ shortName: name, windows: { '1W': { base: null, change } } });

describe('charts', () => {
  it('bars: a valid PNG at twice the stated size, longest bar first, gains right of the axis and losses left', () => {
    const chart = weekBarsChart([row('Small', -2), row('Big', 6), row('Mid', 3)]);
    expect(chart.png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const png = PNG.sync.read(chart.png);
    expect([png.width, png.height]).toEqual([chart.width * 2, chart.height * 2]);
    expect(chart.alt).toBe("Bar chart of this week's returns: Big +6.0%, Mid +3.0%, Small \u22122.0%.");
    // Sample the middle of each bar at 2x, in the plot area only: the values beside it share its colour.
    const rowHeight = Math.round(CHART_TEXT * 1.6);
    const plot = [2 * (4 + textWidth('Small') + 3), 2 * (chart.width - 4 - 3 - Math.max(...['+6.0%', '+3.0%', '\u22122.0%'].map((v) => textWidth(v))))] as const;
    const big = colouredSpan(png, 2 * (8 + rowHeight / 2), PALETTE.up, ...plot)!;
    const mid = colouredSpan(png, 2 * (8 + rowHeight * 1.5), PALETTE.up, ...plot)!;
    const small = colouredSpan(png, 2 * (8 + rowHeight * 2.5), PALETTE.down, ...plot)!;
    expect(big[1] - big[0]).toBeGreaterThan(mid[1] - mid[0]);
    expect(Math.abs(big[0] - mid[0])).toBeLessThan(3); // both start at the zero axis
    expect(small[1]).toBeLessThanOrEqual(big[0] + 2); // the loss ends where the gains begin
    expect((big[1] - big[0]) / (small[1] - small[0])).toBeCloseTo(3, 0);
  });

  it('line: rebased to 100, ends where the relative performance ends, says so in its alt text', () => {
    const dates = ['2026-08-20', '2026-09-20', '2026-10-20', '2026-11-20'];
    const a = { name: 'Russell 2000', points: dates.map((date, i) => ({ date, close: 100 + i * 5 })) };
    const b = { name: 'S&P 500', points: dates.map((date) => ({ date, close: 100 })) };
    const chart = relativeLineChart(a, b, '2026-08-20')!;
    expect(chart.alt).toMatch(/rebased to 100: now 115\.0 \(\+15\.0% for the Russell 2000 against the S&P 500\)/);
    const png = PNG.sync.read(chart.png);
    expect([png.width, png.height]).toEqual([chart.width * 2, chart.height * 2]);
    // Rising line: its right end is higher (smaller y) than its left end.
    const column = (x: number) => {
      for (let y = 0; y < png.height; y++) {
        const i = (png.width * y + x) * 4;
        const [r, g, bl] = hex(PALETTE.up);
        if (Math.abs(png.data[i]! - r!) < 10 && Math.abs(png.data[i + 1]! - g!) < 10 && Math.abs(png.data[i + 2]! - bl!) < 10) return y;
      }
      return -1;
    };
    const left = column(2 * 60);
    const right = column(2 * 320);
    expect(left).toBeGreaterThan(0);
    expect(right).toBeGreaterThan(0);
    expect(right).toBeLessThan(left);
    expect(relativeLineChart(a, b, '2027-01-01')).toBeUndefined();
    // The base is the table's: the last close on or before the anchor, not the first one after it.
    expect(relativeLineChart(a, b, '2026-08-21')!.alt).toContain('from Aug 20 to Nov 20');
  });
});

/** The first and last columns holding anything but the white background: ink at the edge was cut. */
function inkColumns(png: PNG): [number, number] {
  let first = png.width;
  let last = -1;
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) * 4;
      if (png.data[i]! < 240 || png.data[i + 1]! < 240 || png.data[i + 2]! < 240) {
        first = Math.min(first, x);
        last = Math.max(last, x);
      }
    }
  return [first, last];
}

describe('chart labels', () => {
  const sectors = ['Communication Services', 'Consumer Discretionary', 'Utilities', 'S&P 500'];

  it('every label whole: the long sector names are measured, and nothing is drawn in the outer columns', () => {
    // Mixed gains and losses, the longest names both ways round, and a lone large gain.
    for (const changes of [
      [-6.9, -7.9, 0.8, -5.8],
      [6.9, 7.9, -0.8, 5.8],
      [0.1, 0.2, 12.5, 0.3],
    ]) {
      const chart = weekBarsChart(sectors.map((name, i) => row(name, changes[i]!)));
      const [first, last] = inkColumns(PNG.sync.read(chart.png));
      expect(first, `${changes}`).toBeGreaterThanOrEqual(4); // 2 chart units of white at 2x
      expect(last, `${changes}`).toBeLessThan(chart.width * 2 - 4);
    }
    const dates = ['2026-08-20', '2026-09-20', '2026-10-20', '2026-11-20'];
    const line = relativeLineChart(
      { name: 'Russell 2000', points: dates.map((date, i) => ({ date, close: 100 + i * 40 })) },
      { name: 'S&P 500', points: dates.map((date) => ({ date, close: 100 })) },
      '2026-08-20',
    )!;
    const [first, last] = inkColumns(PNG.sync.read(line.png));
    expect(first).toBeGreaterThanOrEqual(4);
    expect(last).toBeLessThan(line.width * 2 - 4);
  });

  it('no wide gap: the longest label ends within a few units of the plot, the zero line placed by the data', () => {
    const chart = weekBarsChart(sectors.map((name, i) => row(name, [-6.9, -7.9, 0.8, -5.8][i]!)));
    const png = PNG.sync.read(chart.png);
    // The largest loss's bar starts right after the labels (8 units at most, at 2x).
    const rowHeight = Math.round(CHART_TEXT * 1.6);
    const worst = colouredSpan(png, 2 * (8 + rowHeight * 3.5), PALETTE.down, 0, chart.width)!; // Consumer Discretionary, last row
    expect(worst[0] / 2 - (4 + Math.max(...sectors.map((name) => textWidth(name))))).toBeLessThanOrEqual(8);
  });

  it('text reads at 10 CSS px or more where the chart is narrowest (a 320 px screen)', () => {
    const bars = weekBarsChart(sectors.map((name) => row(name, 1)));
    for (const chart of [bars]) expect((CHART_TEXT * Math.min(NARROWEST_CHART, chart.width)) / chart.width).toBeGreaterThanOrEqual(10);
  });
});

describe('the palette', () => {
  // WCAG 2 relative luminance and contrast ratio, computed here independently of any library.
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };

  it('gains, losses and neutral figures read at 4.5:1 on white (cards, chart panels) and on the dark card', () => {
    for (const colour of [PALETTE.up, PALETTE.down, PALETTE.flat, PALETTE.ink, PALETTE.muted]) expect(contrast(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(4.5);
    for (const colour of [PALETTE.upOnDark, PALETTE.downOnDark, PALETTE.flatOnDark]) expect(contrast(colour, '#16202b'), colour).toBeGreaterThanOrEqual(4.5);
  });
});
