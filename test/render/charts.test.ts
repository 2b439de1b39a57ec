/** Charts are real PNGs of the stated size whose bars and line go the way the numbers do. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { relativeLineChart, weekBarsChart } from '../../src/render/charts.js';
import { PALETTE } from '../../src/render/palette.js';

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

/** The x range of pixels of one colour on a row of the decoded image. */
function colouredSpan(png: PNG, y: number, colour: string): [number, number] | undefined {
  const [r, g, b] = hex(colour);
  let first = -1;
  let last = -1;
  // Only the plot area: labels and values (same colours) sit outside it.
  for (let x = 2 * 168; x < 2 * (420 - 56); x++) {
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
    // Rows are 22 px at 1x: sample the middle of each bar at 2x.
    const big = colouredSpan(png, 2 * (10 + 11), PALETTE.up)!;
    const mid = colouredSpan(png, 2 * (10 + 22 + 11), PALETTE.up)!;
    const small = colouredSpan(png, 2 * (10 + 44 + 11), PALETTE.down)!;
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
    expect([png.width, png.height]).toEqual([840, 420]);
    // Rising line: its right end is higher (smaller y) than its left end.
    const column = (x: number) => {
      for (let y = 0; y < png.height; y++) {
        const i = (png.width * y + x) * 4;
        const [r, g, bl] = hex(PALETTE.up);
        if (Math.abs(png.data[i]! - r!) < 10 && Math.abs(png.data[i + 1]! - g!) < 10 && Math.abs(png.data[i + 2]! - bl!) < 10) return y;
      }
      return -1;
    };
    const left = column(2 * 50);
    const right = column(2 * 360);
    expect(left).toBeGreaterThan(0);
    expect(right).toBeGreaterThan(0);
    expect(right).toBeLessThan(left);
    expect(relativeLineChart(a, b, '2027-01-01')).toBeUndefined();
    // The base is the table's: the last close on or before the anchor, not the first one after it.
    expect(relativeLineChart(a, b, '2026-08-21')!.alt).toContain('from Aug 20 to Nov 20');
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
