/** One edition, from market data to rendered parts: the road of the architecture, stage by stage. */
import { join } from 'node:path';
import { analyze, type Analysis } from './analysis/index.js';
import { compose, loadCommentaryTemplates, type Commentary } from './commentary/index.js';
import type { Context } from './context.js';
import { editionIdFor } from './edition-id.js';
import { resolveAsOf } from './as-of.js';
import { windowAnchor } from './market/calendar.js';
import { loadMarketData } from './market/index.js';
import type { IsoDate, Snapshot } from './market/types.js';
import { editionView, loadLayout, relativeLineChart, renderEdition, renderWebVersion, weekBarsChart, type Chart, type RenderedEdition } from './render/index.js';

export interface Edition extends RenderedEdition {
  /** The web version: no recipient footer, no "view in browser" link to itself. */
  /** The reader's copy: the web page and text without recipient parts. */
  web: { html: string; text: string };
  id: string;
  asOf: IsoDate;
  listId: string;
  snapshot: Snapshot;
  analysis: Analysis;
  commentary: Commentary;
}

export interface BuildOptions {
  asOf?: string;
  data?: string;
  /** With MARKET_DATA=auto: may an unreachable network fall back to demo data? */
  allowDemoFallback?: boolean;
  /** Use cached closes only, no network (preview). */
  offline?: boolean;
}

export async function buildEdition(ctx: Context, options: BuildOptions = {}): Promise<Edition> {
  const now = ctx.clock();
  const asOf = resolveAsOf(options.asOf, now);
  const snapshot = await loadMarketData({
    source: options.data ?? ctx.env.MARKET_DATA,
    asOf,
    config: ctx.config,
    now,
    store: ctx.store,
    providers: ctx.env,
    allowDemoFallback: options.allowDemoFallback ?? true,
    offline: options.offline,
  });
  for (const note of snapshot.notes) ctx.log.info({ note }, 'market data');
  const id = editionIdFor(snapshot.asOf);
  const analysis = analyze(snapshot, ctx.config);
  const commentary = compose({
    analysis,
    config: ctx.config,
    calendar: snapshot.calendar,
    templates: loadCommentaryTemplates(join(ctx.templatesDir, 'commentary')),
  });
  const charts = editionCharts(analysis, snapshot, ctx.config.locale);
  const view = editionView({ analysis, commentary, snapshot, config: ctx.config, editionId: id, publicUrl: ctx.env.PUBLIC_URL, charts });
  const layout = loadLayout(ctx.templatesDir, 'digest.mjml');
  const rendered = await renderEdition(view, layout, charts);
  const web = await renderWebVersion(view, layout);
  const listId = `${ctx.config.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.${ctx.sender.email.split('@')[1]}`;
  return { ...rendered, web, id, asOf: snapshot.asOf, listId, snapshot, analysis, commentary };
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
