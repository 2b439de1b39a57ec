/**
 * `marketwrap backtest`: every weekly edition in a date range, rendered from demo or cached data into
 * an archive folder with an index page, and a report of what each week said and why: signals fired,
 * the headline, any sentence that contradicts its numbers, any phrasing repeated from the week before.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join, resolve } from 'node:path';
import { type BuildContext, type Edition, editionFromSnapshot, editionParts, tellStory } from './build.js';
import { sentencesOf } from '../commentary/plan/discourse.js';
import { nameTable } from '../commentary/index.js';
import type { Newsletter } from '../config/newsletter.js';
import { editionIdFor } from './id.js';
import { isoWeekId, sessionsBetween } from '../market/calendar.js';
import { fail } from '../shared/errors.js';
import { demoSnapshot, loadMarketData, parseDataSource } from '../market/index.js';
import { csvSeries } from '../market/providers/csv.js';
import { demoWeekAhead } from '../market/week-ahead.js';
import type { Series, Snapshot } from '../market/types.js';
import { escapeHtml } from '../shared/escape.js';
import { chartFile, pointChartsAt, savedChartSrc } from '../render/index.js';

export interface BacktestWeek {
  id: string;
  asOf: string;
  headline: string;
  lede: string;
  /** The story the planner chose (src/commentary/plan/stories.ts). */
  story: string;
  /** The body as the reader gets it (the week ahead aside): each section's title and its paragraphs. */
  sections: Array<{ title: string; text: string }>;
  signals: string[];
  contradictions: string[];
  /** "Since" claims the closes do not bear out. */
  lookbacks: string[];
  /** Self-reference, bare titles, the headline restated, a figure told twice, and the editor's lint (src/commentary/lint.ts). */
  style: string[];
  /** Sentences (numbers aside) that also appeared in the previous week's edition. */
  repeated: string[];
  file: string;
}

export interface BacktestReport {
  from: string;
  to: string;
  data: string;
  weeks: BacktestWeek[];
  contradictions: number;
  lookbacks: number;
  style: number;
  repeated: number;
  /** The most used sentence patterns over the range (sentencePatterns), with the share of editions each is in. */
  patterns: PatternShare[];
  index: string;
}

export interface BacktestOptions {
  from: string;
  to: string;
  /** demo:<scenario>, cache (cached live closes) or csv:<folder> (Yahoo-style CSV files). */
  data: string;
  out: string;
  /** CSV series that start at the instrument's first close (record claims allowed). */
  fullHistory?: readonly string[];
  /** Write each week's HTML and charts (off: the report only, much faster). */
  render?: boolean;
}

const WEEKDAYS_AND_MONTHS =
  /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?/g;

/** A sentence as a pattern: its figures, the given names, weekdays and dates blanked ("The # closed the week at #."). */
export function sentencePattern(sentence: string, names: readonly string[]): string {
  const byLength = [...names].sort((a, b) => b.length - a.length);
  const named = byLength.reduce(
    (text, name) =>
      text
        .split(name)
        .join('\u0001')
        .split(name.charAt(0).toUpperCase() + name.slice(1))
        .join('\u0001'),
    sentence,
  );
  return named
    .replace(WEEKDAYS_AND_MONTHS, '#')
    .replace(/[+\-−]?\d[\d,.]*(?:%|bp\b)?/g, '#')
    .replace(/\u0001/g, 'N')
    .replace(/#(?:[\s,]+#)+/g, '#')
    .replace(/[.!?]$/, '')
    .trim();
}

export interface PatternShare {
  pattern: string;
  /** Editions with at least one sentence of this pattern. */
  editions: number;
  share: number;
}

/** Every name and theme an edition may give an instrument, then or later (the Seven's earlier name too). */
export function namesOf(config: Pick<Newsletter, 'instruments' | 'baskets'>): string[] {
  const names = [...Object.values(nameTable(config)), ...Object.values(nameTable(config, '0000-01-01'))].flatMap((n) => [n.shortName, n.theme ?? '']);
  return [...new Set(names.filter((n) => n !== ''))];
}

/** How many editions use each sentence pattern in their lede and sections (the table and footer aside), most used first. */
export function sentencePatterns(weeks: readonly Pick<BacktestWeek, 'lede' | 'sections'>[], names: readonly string[]): PatternShare[] {
  const counts = new Map<string, number>();
  for (const week of weeks) {
    const sentences = [week.lede, ...week.sections.map((s) => s.text)].flatMap(sentencesOf);
    for (const pattern of new Set(sentences.map((s) => sentencePattern(s, names)))) counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  }
  return [...counts]
    .map(([pattern, editions]) => ({ pattern, editions, share: weeks.length ? editions / weeks.length : 0 }))
    .sort((a, b) => b.editions - a.editions || a.pattern.localeCompare(b.pattern));
}

/** The last session of each ISO week in the range: the weekly editions' as-of dates. */
export function weekEnds(from: string, to: string): string[] {
  const byWeek = new Map<string, string>();
  for (const session of sessionsBetween(from, to)) byWeek.set(isoWeekId(session), session);
  return [...byWeek.values()];
}

const problemsOf = (w: BacktestWeek) => [...w.contradictions, ...w.lookbacks, ...w.style, ...w.repeated.map((r) => `repeated: ${r}`)];

const skeleton = (sentence: string) => sentence.replace(/[+-]?\d[\d,.]*/g, '#');

/** Every series cut at `asOf`; one that had not begun (a sector fund or a stock not yet listed) is not served. */
const cutAt = (series: readonly Series[], asOf: string): Series[] =>
  series.flatMap((s) => {
    const points = s.points.filter((p) => p.date <= asOf);
    return points.length ? [{ ...s, points }] : [];
  });

/** One history to the end of the range, cut at each week: demo (the scenario shapes the last week) or CSV files. */
function fullHistory(ctx: BuildContext, options: BacktestOptions, end: string): Snapshot | undefined {
  if (options.data === 'cache') return undefined;
  if (options.data.startsWith('csv:')) {
    const dir = resolve(options.data.slice('csv:'.length));
    const series = csvSeries(dir, ctx.config.instruments, new Set(options.fullHistory ?? []));
    if (series.length === 0) throw fail('CSV_DATA_NO_FILES', { dir });
    return {
      asOf: end,
      series,
      source: options.data,
      fetchedAt: ctx.clock().toISOString(),
      demo: false,
      sources: Object.fromEntries(series.map((s) => [s.symbol, s.source])),
      issues: [],
      notes: [],
      calendar: [],
    };
  }
  const source = parseDataSource(options.data);
  if (source.kind !== 'demo') throw fail('BACKTEST_SOURCE');
  return demoSnapshot(source.scenario, end, ctx.config, ctx.clock());
}

/** A full collection now and then: V8 grows the heap under the weeks' garbage rather than collect it (344 MB over 23 years, 55 MB of it live). */
const COLLECT_EVERY_WEEKS = 10;
let collect: (() => void) | undefined;

/**
 * Between rendered weeks. The chart renderer's images live outside V8's heap and are freed by
 * finalizers that run only when the event loop turns (the weeks' promises resolve without turning it:
 * 2 years held 620 MB of charts); and every few weeks a full collection keeps the heap near its live set.
 */
async function settleWeek(done: number): Promise<void> {
  if (done % COLLECT_EVERY_WEEKS === 0) {
    if (!collect) {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
    collect();
  }
  await nextTurn();
}

export async function backtest(ctx: BuildContext, options: BacktestOptions): Promise<BacktestReport> {
  if (!(options.from < options.to)) throw fail('BACKTEST_RANGE', { from: options.from, to: options.to });
  const ends = weekEnds(options.from, options.to);
  if (ends.length === 0) throw fail('BACKTEST_NO_SESSIONS', { from: options.from, to: options.to });
  const full = fullHistory(ctx, options, ends.at(-1)!);
  const render = options.render ?? true;
  const parts = editionParts(ctx);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const weeks: BacktestWeek[] = [];
  let previous: Set<string> = new Set();
  for (const asOf of ends) {
    const snapshot: Snapshot = full
      ? { ...full, asOf, series: cutAt(full.series, asOf), calendar: full.demo ? demoWeekAhead(asOf) : [] }
      : await loadMarketData({ source: 'live', asOf, config: ctx.config, now: ctx.clock(), store: ctx.store, providers: ctx.env, allowDemoFallback: false, offline: true });
    if (snapshot.series.length === 0) continue;
    const id = editionIdFor(asOf);
    // Rendering is the whole edition, as a send builds it; without it, only the story is told.
    const { analysis, commentary, review } = render ? await archiveEdition(await editionFromSnapshot(snapshot, parts), out) : tellStory(snapshot, parts);
    const sentences = [commentary.headline, commentary.lede, ...commentary.sections.flatMap((s) => s.paragraphs)].flatMap((p) => p.split(/(?<=\.)\s/)).map(skeleton);
    weeks.push({
      id,
      asOf,
      headline: commentary.headline,
      lede: commentary.lede,
      story: commentary.story,
      sections: commentary.sections.filter((s) => s.topic !== 'week-ahead').map((s) => ({ title: s.title, text: s.paragraphs.join(' ') })),
      signals: analysis.signals.map((s) => s.id),
      ...review,
      repeated: [...new Set(sentences.filter((s) => previous.has(s)))],
      file: `${id}.html`,
    });
    previous = new Set(sentences);
    if (render) await settleWeek(weeks.length);
  }
  const report: BacktestReport = {
    from: options.from,
    to: options.to,
    data: options.data,
    weeks,
    contradictions: weeks.reduce((n, w) => n + w.contradictions.length, 0),
    lookbacks: weeks.reduce((n, w) => n + w.lookbacks.length, 0),
    style: weeks.reduce((n, w) => n + w.style.length, 0),
    repeated: weeks.reduce((n, w) => n + w.repeated.length, 0),
    patterns: sentencePatterns(weeks, namesOf(ctx.config)).slice(0, 20),
    index: join(out, 'index.html'),
  };
  writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(report.index, indexPage(report));
  return report;
}

function indexPage(report: BacktestReport): string {
  const rows = report.weeks
    .map(
      (w) =>
        `<tr><td><a href="${escapeHtml(w.file)}">${escapeHtml(w.id)}</a></td><td>${escapeHtml(w.asOf)}</td><td>${escapeHtml(w.headline)}</td><td>${w.signals.length}</td><td>${escapeHtml(w.signals.join(', '))}</td><td>${problemsOf(w).length ? escapeHtml(problemsOf(w).join(' | ')) : 'none'}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Backtest ${escapeHtml(report.from)} to ${escapeHtml(report.to)}</title>
<style>body{font:14px/1.5 sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}</style></head>
<body><h1>Backtest ${escapeHtml(report.from)} to ${escapeHtml(report.to)} (${escapeHtml(report.data)})</h1>
<p>${report.weeks.length} weekly editions; ${report.contradictions} contradictions; ${report.lookbacks} look-back errors; ${report.style} style problems; ${report.repeated} phrasings repeated from the week before.</p>
<table><thead><tr><th>Edition</th><th>As of</th><th>Headline</th><th>Signals</th><th>Fired</th><th>Problems</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

/** The edition's web version and charts in the backtest folder, as the archive keeps them. */
async function archiveEdition(edition: Edition, out: string): Promise<Edition> {
  for (const chart of edition.charts) writeFileSync(join(out, chartFile(edition.id, chart.name)), chart.png);
  writeFileSync(
    join(out, `${edition.id}.html`),
    pointChartsAt(edition.web.html, (name) => savedChartSrc(edition.id, name)),
  );
  return edition;
}
