/**
 * Charts as PNG: SVG built in code, rasterised by resvg with DejaVu Sans from the project's own
 * dependencies (no system font), so they look the same on every machine. Email clients get PNGs by
 * CID; SVG and data: URIs never reach an inbox.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { Metrics } from '../analysis/index.js';
import { escapeHtml } from '../shared/escape.js';
import { PALETTE } from './palette.js';
import { formatChange } from '../shared/format.js';
import type { Point } from '../market/types.js';

const require = createRequire(import.meta.url);
const FONT_FILES = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')];

export interface Chart {
  name: string;
  png: Buffer;
  width: number;
  height: number;
  /** States the numbers, for readers who do not see the picture. */
  alt: string;
  /** The caption shown above it. */
  title: string;
}

const FONT_OPTIONS = { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans' };

function rasterise(svg: string, width: number): Buffer {
  // Drawn at 2x for sharp text on high-density screens; the email states the 1x size.
  return new Resvg(svg, { fitTo: { mode: 'width', value: width * 2 }, font: FONT_OPTIONS, background: '#ffffff' }).render().asPng();
}

/**
 * Charts are drawn 380 units wide and shown at that size at most; on the narrowest phone (320 px less
 * the image's 2 x 24 px padding) they shrink to 272 px, and their text with them: sized so it still
 * reads at 10 CSS px there.
 */
const CHART_WIDTH = 380;
export const NARROWEST_CHART = 272;
/** The size of every text in the charts, in chart units (shown at displayed width / chart width of it). */
export const CHART_TEXT = Math.ceil((10 * CHART_WIDTH) / NARROWEST_CHART);
const TEXT = CHART_TEXT;

const measured = new Map<string, number>();
/** How far `text` reaches left of its anchor with text-anchor="end": measured by resvg itself, in DejaVu. */
export function textWidth(text: string, size = TEXT): number {
  const key = `${size}:${text}`;
  let width = measured.get(key);
  if (width === undefined) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="100" font-family="DejaVu Sans"><text x="1000" y="50" text-anchor="end" font-size="${size}">${escapeHtml(text)}</text></svg>`;
    const box = new Resvg(svg, { font: FONT_OPTIONS }).getBBox();
    width = box ? 1000 - box.x : 0;
    measured.set(key, width);
  }
  return width;
}

/** Horizontal bars of the week's returns, best first, from a zero line: right and green up, left and red down. */
export function weekBarsChart(rows: ReadonlyArray<Pick<Metrics, 'shortName' | 'windows'>>, locale = 'en-US'): Chart {
  const data = rows
    .filter((r) => r.windows['1W'])
    .map((r) => ({ name: r.shortName, change: r.windows['1W']!.change, value: formatChange(r.windows['1W']!.change, 'pct', locale) }))
    .sort((a, b) => b.change - a.change);
  const width = CHART_WIDTH;
  const rowHeight = Math.round(TEXT * 1.6);
  const top = 8;
  const height = top * 2 + data.length * rowHeight;
  // Labels and values take what they measure (no label is cut, no gap is left); the bars get the rest,
  // split at zero in proportion to the largest loss and the largest gain.
  const gap = 6;
  const labelRight = 4 + Math.max(0, ...data.map((d) => textWidth(d.name)));
  const valueWidth = Math.max(0, ...data.map((d) => textWidth(d.value)));
  const plotLeft = labelRight + gap;
  const plotWidth = width - plotLeft - gap - valueWidth - 4;
  const loss = Math.max(0, ...data.map((d) => -d.change));
  const gain = Math.max(0, ...data.map((d) => d.change));
  const scale = plotWidth / Math.max(0.1, loss + gain);
  const zero = plotLeft + loss * scale;
  const bars = data.map((d, i) => {
    const y = top + i * rowHeight;
    const baseline = (y + rowHeight / 2 + TEXT * 0.36).toFixed(1);
    const length = Math.max(1, Math.abs(d.change) * scale);
    const x = d.change >= 0 ? zero : zero - length;
    const color = d.change >= 0 ? PALETTE.up : PALETTE.down;
    return (
      `<text x="${labelRight.toFixed(1)}" y="${baseline}" text-anchor="end" font-size="${TEXT}" fill="${PALETTE.ink}">${escapeHtml(d.name)}</text>` +
      `<rect x="${x.toFixed(1)}" y="${y + 5}" width="${length.toFixed(1)}" height="${rowHeight - 10}" fill="${color}"/>` +
      `<text x="${width - 4}" y="${baseline}" text-anchor="end" font-size="${TEXT}" fill="${color}">${escapeHtml(d.value)}</text>`
    );
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">` +
    `<rect width="100%" height="100%" fill="#ffffff"/><line x1="${zero.toFixed(1)}" y1="${top - 4}" x2="${zero.toFixed(1)}" y2="${height - top + 4}" stroke="${PALETTE.muted}" stroke-width="1"/>${bars.join('')}</svg>`;
  const alt = `Bar chart of this week's returns: ${data.map((d) => `${d.name} ${d.value}`).join(', ')}.`;
  return { name: 'week-returns', png: rasterise(svg, width), width, height, alt, title: "This week's returns" };
}

/** A line of A relative to B, both rebased to 100 at the first common date. */
export function relativeLineChart(a: { name: string; points: readonly Point[] }, b: { name: string; points: readonly Point[] }, from: string, locale = 'en-US'): Chart | undefined {
  const bByDate = new Map(b.points.map((p) => [p.date, p.close]));
  const all = a.points.filter((p) => bByDate.has(p.date)).map((p) => ({ date: p.date, ratio: p.close / bByDate.get(p.date)! }));
  // The same base as the table's 3-month column: the last close on or before the anchor.
  const start = Math.max(
    0,
    all.findLastIndex((p) => p.date <= from),
  );
  const joint = all.slice(start);
  if (joint.length < 2) return undefined;
  const base = joint[0]!.ratio;
  const line = joint.map((p) => ({ date: p.date, value: (p.ratio / base) * 100 }));
  const width = CHART_WIDTH;
  const height = 230;
  const values = line.map((p) => p.value);
  const lo = Math.min(100, ...values);
  const hi = Math.max(100, ...values);
  const last = line.at(-1)!;
  // The axis labels and the end value take the width they measure (bold is about a tenth wider).
  const left = 10 + Math.max(...[100, hi, lo].map((v) => textWidth(v.toFixed(v === 100 ? 0 : 1))));
  const pad = { left, right: 10 + Math.ceil(textWidth(last.value.toFixed(1)) * 1.12), top: 14, bottom: TEXT + 16 };
  const span = Math.max(1, hi - lo);
  const x = (i: number) => pad.left + (i / (line.length - 1)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - lo) / span) * (height - pad.top - pad.bottom);
  const path = line.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
  const fmt = (d: string) => new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
  // Gridlines at the start (100), the highest and the lowest value, each labelled; the last value sits at
  // the end of the line, where it is, not pinned to a corner where it would read as the maximum.
  const gridValues = [...new Set([100, Math.round(hi * 10) / 10, Math.round(lo * 10) / 10])].filter(
    (v, _i, all) => v === 100 || all.every((o) => o === v || Math.abs(y(o) - y(v)) > TEXT + 2),
  );
  const grid = gridValues
    .map(
      (v) =>
        `<line x1="${pad.left.toFixed(1)}" y1="${y(v).toFixed(1)}" x2="${width - pad.right}" y2="${y(v).toFixed(1)}" stroke="${PALETTE.grid}" stroke-width="1"/>` +
        `<text x="${(pad.left - 6).toFixed(1)}" y="${(y(v) + 5).toFixed(1)}" text-anchor="end" font-size="${TEXT}" fill="${PALETTE.muted}">${v.toFixed(v === 100 ? 0 : 1)}</text>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${grid}` +
    `<text x="${pad.left.toFixed(1)}" y="${height - 8}" font-size="${TEXT}" fill="${PALETTE.muted}">${fmt(line[0]!.date)}</text>` +
    `<text x="${width - pad.right}" y="${height - 8}" text-anchor="end" font-size="${TEXT}" fill="${PALETTE.muted}">${fmt(last.date)}</text>` +
    `<path d="${path}" fill="none" stroke="${last.value >= 100 ? PALETTE.up : PALETTE.down}" stroke-width="2.5"/>` +
    `<text x="${(x(line.length - 1) + 6).toFixed(1)}" y="${(y(last.value) + 5).toFixed(1)}" font-size="${TEXT}" font-weight="bold" fill="${PALETTE.ink}">${last.value.toFixed(1)}</text></svg>`;
  const alt = `Line chart of the ${a.name} relative to the ${b.name} from ${fmt(line[0]!.date)} to ${fmt(last.date)}, rebased to 100: now ${last.value.toFixed(1)} (${formatChange(last.value - 100, 'pct', locale)} for the ${a.name} against the ${b.name}).`;
  return { name: 'small-vs-large', png: rasterise(svg, width), width, height, alt, title: `The ${a.name} relative to the ${b.name} since ${fmt(line[0]!.date)} (start = 100)` };
}
