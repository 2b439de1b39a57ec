/** Joins and leaves per week as an inline SVG bar chart (no script, no build step): joins up, leaves down. */
import type { WeekFigures } from '../../desk/index.js';

const WIDTH = 720;
const HEIGHT = 160;
const AXIS = 18;

export function joinsLeavesChart(weeks: readonly WeekFigures[]): string {
  const most = { joins: Math.max(0, ...weeks.map((w) => w.joins)), leaves: Math.max(0, ...weeks.map((w) => w.leaves)) };
  const peak = Math.max(1, most.joins, most.leaves);
  const slot = WIDTH / Math.max(1, weeks.length);
  // One scale up and down, the line placed so the tallest join and the deepest leave both fit.
  const span = Math.max(1, most.joins + most.leaves);
  const plot = HEIGHT - AXIS - 8;
  const middle = 4 + (plot * most.joins) / span;
  const scale = (n: number) => (n / span) * plot;
  const bars = weeks.map((w, i) => {
    const x = i * slot + slot * 0.15;
    const width = slot * 0.7;
    const up = scale(w.joins);
    const down = scale(w.leaves);
    const label = `${w.week}: ${w.joins} joined, ${w.leaves} left`;
    return [
      `<g><title>${label}</title>`,
      `<rect x="${x.toFixed(1)}" y="${(middle - up).toFixed(1)}" width="${width.toFixed(1)}" height="${up.toFixed(1)}" fill="#2f9e44"/>`,
      `<rect x="${x.toFixed(1)}" y="${middle.toFixed(1)}" width="${width.toFixed(1)}" height="${down.toFixed(1)}" fill="#e03131"/>`,
      i % Math.ceil(weeks.length / 6) === 0 ? `<text x="${(x + width / 2).toFixed(1)}" y="${HEIGHT - 4}" text-anchor="middle">${w.week.slice(5)}</text>` : '',
      '</g>',
    ].join('');
  });
  const total = weeks.reduce((sum, w) => ({ joins: sum.joins + w.joins, leaves: sum.leaves + w.leaves }), { joins: 0, leaves: 0 });
  const summary = `Joins and leaves per week over ${weeks.length} weeks: ${total.joins} joined, ${total.leaves} left; busiest week ${peak}.`;
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" style="max-width:${WIDTH}px" role="img" aria-label="${summary}">`,
    `<line x1="0" x2="${WIDTH}" y1="${middle}" y2="${middle}" stroke="currentColor" stroke-opacity=".4"/>`,
    ...bars,
    '</svg>',
    `<p class="muted">Green above the line: joined (confirmed) that week; red below: left (unsubscribed, bounced, complained). Tallest bar ${peak}.</p>`,
  ].join('\n');
}
