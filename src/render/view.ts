/** The edition as the layout sees it: every number formatted once, nothing computed here. */
import type { Analysis } from '../analysis/index.js';
import type { Commentary } from '../commentary/index.js';
import { formatChange, formatLevel, shown, type Unit, WINDOW_LABELS } from '../shared/format.js';
import type { Newsletter } from '../config/newsletter.js';
import type { Snapshot } from '../market/types.js';
import { chartSrc } from './chart-refs.js';
import { PALETTE } from './palette.js';
import { type ChartView, columnHide, marketStrip, placeSections, type SectionView, type StripItem, type Tone } from './view-parts.js';

export type { Tone } from './view-parts.js';

export interface EditionView {
  title: string;
  editionId: string;
  dateLabel: string;
  subject: string;
  headline: string;
  /** The week's story in two or three sentences, under the headline. */
  lede: string;
  /** The inbox preview line. */
  preheader: string;
  demo: boolean;
  scenario: string;
  webUrl: string;
  /** The story, each section with its bold lead-in and the charts that illustrate it (view-parts.ts). */
  sections: SectionView[];
  /** The week's close and change of the main benchmarks, at the top. */
  strip: StripItem[];
  /** `hide`: the class that hides the column on narrower screens ('' for the week and the year to date, always shown). */
  table: { columns: Array<{ label: string; hide: string }>; rows: Array<{ name: string; last: string; cells: Array<{ text: string; tone: Tone; hide: string }> }>; note: string };
  /** The week's sector returns, best first (the plain-text part lists them; the HTML shows them in the bar chart). */
  sectors: Array<{ name: string; text: string }>;
  /** The web version (no recipient footer, no "view in browser" link to itself). */
  web: boolean;
  subscribeUrl: string;
  /** Charts with no story to sit beside (placed ones are in their section). */
  charts: ChartView[];
  riskNote: string;
  /** The colours of gains, losses and neutral figures, light and dark (the layout's styles use them). */
  palette: typeof PALETTE;
  dataSource: string;
  /** Guard findings: shown in a red banner; an edition with any is never sent. */
  warnings: string[];
  postalAddress: string;
}

/** Gain or loss as the reader sees it: the sign of the figure as rounded for the table. */
export function tone(change: number, unit: Unit): Tone {
  const rounded = shown(change, unit);
  return rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
}

export const DEMO_SUBJECT_TAG = '[DEMO DATA]';

export interface ViewInput {
  charts?: ReadonlyArray<{ name: string; width: number; height: number; alt: string; title: string }>;
  analysis: Analysis;
  commentary: Commentary;
  snapshot: Snapshot;
  config: Newsletter;
  editionId: string;
  /** PUBLIC_URL, without a trailing slash (the environment schema strips it). */
  publicUrl: string;
}

export function editionView({ analysis, commentary, snapshot, config, editionId, publicUrl, charts = [] }: ViewInput): EditionView {
  const { locale } = config;
  const all = [...analysis.metrics.values()];
  const rows = all
    .filter((m) => config.tableGroups.includes(m.group))
    .map((m) => ({
      name: m.shortName,
      last: m.last ? formatLevel(m.last.close, m.unit, locale) : '—',
      cells: config.windows.map((w) => {
        const c = m.windows[w];
        const text = c ? formatChange(c.change, m.unit, locale) : 'n/a';
        // A rising VIX or a falling yield is neither good nor bad news in itself: no colour for them.
        return { text, tone: c && m.unit === 'pct' ? tone(c.change, m.unit) : 'flat', hide: columnHide(w) };
      }),
    }));
  const sectors = all
    .filter((m) => m.group === 'sectors' && m.windows['1W'])
    .sort((a, b) => b.windows['1W']!.change - a.windows['1W']!.change)
    .map((m) => ({ name: m.shortName, text: formatChange(m.windows['1W']!.change, 'pct', locale) }));
  const placed = placeSections(
    commentary.sections,
    charts.map((c) => ({ name: c.name, src: chartSrc(c.name), width: c.width, height: c.height, alt: c.alt, title: c.title })),
  );
  const subject = snapshot.demo ? `${DEMO_SUBJECT_TAG} ${commentary.headline}` : commentary.headline;
  return {
    title: config.title,
    editionId,
    dateLabel: `Week ending ${new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${analysis.asOf}T00:00:00Z`))}`,
    subject,
    headline: commentary.headline,
    lede: commentary.lede,
    preheader: commentary.preheader,
    demo: snapshot.demo,
    scenario: snapshot.scenario ?? '',
    webUrl: `${publicUrl}/editions/${editionId}`,
    sections: placed.sections,
    strip: marketStrip(analysis.metrics, (m, change) => (m.unit === 'pct' ? tone(change, m.unit) : 'flat'), locale),
    table: {
      columns: config.windows.map((w) => ({ label: WINDOW_LABELS[w], hide: columnHide(w) })),
      rows,
      note: 'Prices in percent; the 10-year yield in basis points (bp); the VIX in index points (pts).',
    },
    web: false,
    subscribeUrl: `${publicUrl}/`,
    sectors,
    riskNote: RISK_NOTE,
    palette: PALETTE,
    dataSource: snapshot.demo ? `simulated demo data (${snapshot.source})` : describeSources(snapshot.sources),
    warnings: snapshot.issues.map((i) => i.message),
    postalAddress: config.postalAddress,
    charts: placed.unplaced,
  };
}

/** "yahoo: ^GSPC, ^RUT, ...; fred: DGS2; proxies: IWM for ^RUT". */
function describeSources(sources: Record<string, string>): string {
  const byProvider = new Map<string, string[]>();
  const proxies: string[] = [];
  for (const [symbol, label] of Object.entries(sources)) {
    const [provider] = label.split(':');
    byProvider.set(provider!, [...(byProvider.get(provider!) ?? []), symbol]);
    if (label.endsWith('(proxy)')) proxies.push(`${label.slice(label.indexOf(':') + 1, -' (proxy)'.length)} for ${symbol}`);
  }
  const names: Record<string, string> = { yahoo: 'Yahoo Finance', fred: 'FRED', alphavantage: 'Alpha Vantage' };
  const parts = [...byProvider].map(([provider, symbols]) => `${names[provider] ?? provider} (${symbols.length} series)`);
  return `${parts.join(', ')}${proxies.length ? `; proxies: ${proxies.join(', ')}` : ''}`;
}

/** The risk note is the same every week: the VIX's figure, when it matters, is told once, in the story. */
const RISK_NOTE = 'Markets can move sharply on news that no data foresees; a week of figures is no forecast.';
