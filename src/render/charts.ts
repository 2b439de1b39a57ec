/**
 * Charts as PNG: SVG built in code, rasterised by resvg with DejaVu Sans from the project's own
 * dependencies (no system font), so they look the same on every machine. Email clients get PNGs by
 * CID; SVG and data: URIs never reach an inbox.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { Metrics } from '../analysis/index.js';
import { escapeHtml } from '../escape.js';
import { PALETTE } from './palette.js';
import { formatChange } from '../format.js';
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

function rasterise(svg: string, width: number): Buffer {
  // Drawn at 2x for sharp text on high-density screens; the email states the 1x size.
  return new Resvg(svg, {
    fitTo: { mode: 'width', value: width * 2 },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  })
    .render()
    .asPng();
}

/** Horizontal bars of the week's returns, best first, from a zero line: right and green up, left and red down. */
/**
 * Charts are drawn for a 420-pixel column: shown at 335 pixels on a phone, their 13-pixel text still
 * reads at 10 pixels (a 600-pixel drawing would shrink it to 7).
 */
const CHART_WIDTH = 420;

export function weekBarsChart(rows: ReadonlyArray<Pick<Metrics, 'shortName' | 'windows'>>, locale = 'en-US'): Chart {
  const data = rows
    .filter((r) => r.windows['1W'])
    .map((r) => ({ name: r.shortName, change: r.windows['1W']!.change }))
    .sort((a, b) => b.change - a.change);
  const width = CHART_WIDTH;
  const rowHeight = 22;
  const top = 10;
  const height = top * 2 + data.length * rowHeight;
  const labelWidth = 168;
  const valueWidth = 56;
  const plotLeft = labelWidth;
  const plotWidth = width - labelWidth - valueWidth;
  const widest = Math.max(0.1, ...data.map((d) => Math.abs(d.change)));
  const hasNegative = data.some((d) => d.change < 0);
  const hasPositive = data.some((d) => d.change > 0);
  const zero = plotLeft + (hasNegative && hasPositive ? plotWidth / 2 : hasNegative ? plotWidth : 0);
  const scale = (hasNegative && hasPositive ? plotWidth / 2 : plotWidth) / widest;
  const bars = data.map((d, i) => {
    const y = top + i * rowHeight;
    const length = Math.max(1, Math.abs(d.change) * scale);
    const x = d.change >= 0 ? zero : zero - length;
    const color = d.change >= 0 ? PALETTE.up : PALETTE.down;
    return (
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" font-size="13" fill="${PALETTE.ink}">${escapeHtml(d.name)}</text>` +
      `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${color}"/>` +
      `<text x="${width - 4}" y="${y + 15}" text-anchor="end" font-size="13" fill="${color}">${escapeHtml(formatChange(d.change, 'pct', locale))}</text>`
    );
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">` +
    `<rect width="100%" height="100%" fill="#ffffff"/><line x1="${zero}" y1="${top - 4}" x2="${zero}" y2="${height - top + 4}" stroke="${PALETTE.muted}" stroke-width="1"/>${bars.join('')}</svg>`;
  const alt = `Bar chart of this week's returns: ${data.map((d) => `${d.name} ${formatChange(d.change, 'pct', locale)}`).join(', ')}.`;
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
  const height = 210;
  const pad = { left: 44, right: 52, top: 14, bottom: 26 };
  const values = line.map((p) => p.value);
  const lo = Math.min(100, ...values);
  const hi = Math.max(100, ...values);
  const span = Math.max(1, hi - lo);
  const x = (i: number) => pad.left + (i / (line.length - 1)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - lo) / span) * (height - pad.top - pad.bottom);
  const path = line.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
  const last = line.at(-1)!;
  const fmt = (d: string) => new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
  // Gridlines at the start (100), the highest and the lowest value, each labelled; the last value sits at
  // the end of the line, where it is, not pinned to a corner where it would read as the maximum.
  const gridValues = [...new Set([100, Math.round(hi * 10) / 10, Math.round(lo * 10) / 10])].filter(
    (v, _i, all) => v === 100 || all.every((o) => o === v || Math.abs(y(o) - y(v)) > 14),
  );
  const grid = gridValues
    .map(
      (v) =>
        `<line x1="${pad.left}" y1="${y(v).toFixed(1)}" x2="${width - pad.right}" y2="${y(v).toFixed(1)}" stroke="${PALETTE.grid}" stroke-width="1"/>` +
        `<text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="${PALETTE.muted}">${v.toFixed(v === 100 ? 0 : 1)}</text>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${grid}` +
    `<text x="${pad.left}" y="${height - 8}" font-size="12" fill="${PALETTE.muted}">${fmt(line[0]!.date)}</text>` +
    `<text x="${width - pad.right}" y="${height - 8}" text-anchor="end" font-size="12" fill="${PALETTE.muted}">${fmt(last.date)}</text>` +
    `<path d="${path}" fill="none" stroke="${last.value >= 100 ? PALETTE.up : PALETTE.down}" stroke-width="2.5"/>` +
    `<text x="${x(line.length - 1) + 6}" y="${(y(last.value) + 4).toFixed(1)}" font-size="13" font-weight="bold" fill="${PALETTE.ink}">${last.value.toFixed(1)}</text></svg>`;
  const alt = `Line chart of the ${a.name} relative to the ${b.name} from ${fmt(line[0]!.date)} to ${fmt(last.date)}, rebased to 100: now ${last.value.toFixed(1)} (${formatChange(last.value - 100, 'pct', locale)} for the ${a.name} against the ${b.name}).`;
  return { name: 'small-vs-large', png: rasterise(svg, width), width, height, alt, title: `The ${a.name} relative to the ${b.name} since ${fmt(line[0]!.date)} (start = 100)` };
}
