/** One edition, from market data to rendered parts: the road of the architecture, stage by stage. */
import { join } from 'node:path';
import { analyze, type Analysis } from '../analysis/index.js';
import { planWeekBehind } from '../commentary/plan/week-behind.js';
import { compose, type EditionReview, loadCommentaryTemplates, reviewEdition, type Commentary, type CommentaryTemplates } from '../commentary/index.js';
import type { Newsletter } from '../config/newsletter.js';
import type { ContextUsing } from '../shared/context.js';
import type { CloseCache } from '../market/live.js';
import type { BuildOptions } from './build-options.js';
import { listIdFor } from '../delivery/terms.js';
import { editionIdFor } from './id.js';
import { resolveAsOf } from './as-of.js';
import { windowAnchor } from '../market/calendar.js';
import { loadMarketData } from '../market/index.js';
import type { IsoDate, Snapshot } from '../market/types.js';
import { editionView, loadLayout, relativeLineChart, renderEdition, renderWebVersion, weekBarsChart, type Chart, type RenderedEdition } from '../render/index.js';
import type { Layout } from '../render/layout.js';
import { trackLinks } from '../render/click-links.js';

export interface Edition extends RenderedEdition {
  /** The reader's copy: the web page and text without recipient parts. */
  web: { html: string; text: string };
  id: string;
  asOf: IsoDate;
  listId: string;
  snapshot: Snapshot;
  analysis: Analysis;
  commentary: Commentary;
  /** What the truth checks and the editor's lint found in the copy: a list send of it is held. */
  review: EditionReview;
}

export type { BuildOptions } from './build-options.js';

/** What an edition is made of besides its snapshot: loaded once, reused for every week of a backtest. */
export interface EditionParts {
  config: Newsletter;
  templates: CommentaryTemplates;
  layout: Layout;
  publicUrl: string;
  /** The sender's address: its domain names the list (List-Id). */
  senderEmail: string;
  /** Signs the counted links (tracking.clicks). */
  secretKey: string;
}

/** A build's part of the database: the cached closes (the market data it reads, and fetches into). */
export type BuildContext = ContextUsing<CloseCache>;

export function editionParts(ctx: BuildContext): EditionParts {
  return {
    config: ctx.config,
    templates: loadCommentaryTemplates(join(ctx.templatesDir, 'commentary')),
    layout: loadLayout(ctx.templatesDir, 'digest.mjml'),
    publicUrl: ctx.env.PUBLIC_URL,
    senderEmail: ctx.sender.email,
    secretKey: ctx.secretKey,
  };
}

/** The story of a snapshot: what the data says (analysis), how it is told (commentary), and every check of that telling (review). */
export function tellStory(snapshot: Snapshot, parts: Pick<EditionParts, 'config' | 'templates'>): { analysis: Analysis; commentary: Commentary; review: EditionReview } {
  const analysis = analyze(snapshot, parts.config);
  const weekBehind = planWeekBehind(snapshot.weekBehind ?? [], snapshot.series, snapshot.asOf);
  const commentary = compose({ analysis, config: parts.config, calendar: snapshot.calendar, weekBehind, templates: parts.templates });
  return { analysis, commentary, review: reviewEdition(analysis, commentary, snapshot, parts.config) };
}

/** One edition from a snapshot: the story, its charts, the email and the web version. No I/O. */
export async function editionFromSnapshot(snapshot: Snapshot, parts: EditionParts, editionId?: string): Promise<Edition> {
  // The week's own id, unless the caller chose another (a rebuild of a week that went out is 2026-W47-2).
  const id = editionId ?? editionIdFor(snapshot.asOf);
  const { analysis, commentary, review } = tellStory(snapshot, parts);
  const charts = editionCharts(analysis, snapshot, parts.config.locale);
  const view = editionView({ analysis, commentary, snapshot, config: parts.config, editionId: id, publicUrl: parts.publicUrl, charts });
  const rendered = await renderEdition(view, parts.layout, charts);
  // Only the email's links are counted: the web version's readers are not followed.
  const html = parts.config.tracking.clicks
    ? trackLinks(rendered.html, { publicUrl: parts.publicUrl, editionId: id, secret: parts.secretKey, perSubscriber: parts.config.tracking.perSubscriber })
    : rendered.html;
  const web = await renderWebVersion(view, parts.layout);
  return { ...rendered, html, web, id, asOf: snapshot.asOf, listId: listIdFor(parts.config.title, parts.senderEmail), snapshot, analysis, commentary, review };
}

export async function buildEdition(ctx: BuildContext, options: BuildOptions = {}): Promise<Edition> {
  const now = ctx.clock();
  const snapshot = await loadMarketData({
    source: options.data ?? ctx.env.MARKET_DATA,
    asOf: resolveAsOf(options.asOf, now),
    config: ctx.config,
    now,
    store: ctx.store,
    providers: ctx.env,
    allowDemoFallback: options.allowDemoFallback ?? true,
    offline: options.offline,
  });
  for (const note of snapshot.notes) ctx.log.info({ note }, 'market data');
  return editionFromSnapshot(snapshot, editionParts(ctx), options.editionId);
}

/** The week's returns as bars (benchmarks and sectors), and the Russell 2000 against the S&P 500 over three months. */
export function editionCharts(analysis: Analysis, snapshot: Snapshot, locale: string): Chart[] {
  const bars = [...analysis.metrics.values()].filter((m) => (m.group === 'benchmarks' || m.group === 'sectors') && m.unit === 'pct' && m.kind !== 'basket');
  const charts: Chart[] = bars.length ? [weekBarsChart(bars, locale)] : [];
  const rut = snapshot.series.find((s) => s.symbol === '^RUT');
  const spx = snapshot.series.find((s) => s.symbol === '^GSPC');
  const line =
    rut && spx ? relativeLineChart({ name: 'Russell 2000', points: rut.points }, { name: 'S&P 500', points: spx.points }, windowAnchor(snapshot.asOf, '3M'), locale) : undefined;
  if (line) charts.push(line);
  return charts;
}
