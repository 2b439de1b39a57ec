/**
 * The parts of the edition's view that shape the layout rather than state a number once: the market
 * strip at the top, each section's bold lead-in, and which story each chart sits beside.
 */
import type { Metrics } from '../analysis/index.js';
import { sentencesOf } from '../commentary/plan/discourse.js';
import type { Section } from '../commentary/index.js';
import { formatChange, formatLevel } from '../shared/format.js';
import type { Window } from '../config/newsletter.js';

export type Tone = 'up' | 'down' | 'flat';

export interface ChartView {
  src: string;
  width: number;
  height: number;
  alt: string;
  title: string;
}

export interface StripItem {
  name: string;
  close: string;
  change: string;
  tone: Tone;
}

/** The market at a glance, as Morning Brew and Axios Markets open: these, in this order, when present. */
const STRIP_SYMBOLS: ReadonlyArray<readonly string[]> = [['^GSPC'], ['^IXIC'], ['^RUT'], ['^TNX', 'DGS10'], ['^VIX']];

export function marketStrip(metrics: ReadonlyMap<string, Metrics>, toneOf: (m: Metrics, change: number) => Tone, locale: string): StripItem[] {
  const items: StripItem[] = [];
  for (const choices of STRIP_SYMBOLS) {
    const m = choices.map((s) => metrics.get(s)).find((x) => x?.last && x.windows['1W']);
    if (!m) continue;
    const change = m.windows['1W']!.change;
    // The 10-year reads as "10-year" in a tile: the strip's tiles are narrow on a phone.
    items.push({
      name: m.unit === 'bp' ? m.shortName.replace(/ (Treasury )?yield$/, '') : m.shortName,
      close: formatLevel(m.last!.close, m.unit, locale),
      change: formatChange(change, m.unit, locale),
      tone: toneOf(m, change),
    });
  }
  return items;
}

/** The class that hides a column below a screen width (digest.mjml's media queries); '' shows it always. */
const COLUMN_HIDE: Partial<Record<Window, string>> = { '1M': 'hide-480', '3M': 'hide-560', '1Y': 'hide-640' };
export const columnHide = (w: Window): string => COLUMN_HIDE[w] ?? (w === '1W' || w === 'YTD' ? '' : 'hide-480');

export interface SectionView {
  title: string;
  /** The section's first sentence, set in bold: the reader who skims gets each story's point. */
  lead: string;
  /** The rest of the first paragraph, after the lead-in. */
  leadRest: string;
  paragraphs: string[];
  /** The charts that illustrate this story, shown right after it. */
  charts: ChartView[];
}

/** Which section a chart belongs beside, by preference: the first rule a section meets places it. */
const CHART_HOMES: Record<string, ReadonlyArray<(s: Section) => boolean>> = {
  'week-returns': [(s) => s.topic === 'sectors', (s) => s.topic === 'market'],
  'small-vs-large': [(s) => s.signalIds.some((id) => id.startsWith('small-caps-vs-large')), (s) => s.topic === 'leadership'],
};

function homeOf(name: string, sections: readonly Section[]): number {
  for (const rule of CHART_HOMES[name] ?? []) {
    const i = sections.findIndex(rule);
    if (i >= 0) return i;
  }
  return -1;
}

/** A bold lead-in reads at a glance: past this many characters it ends at the last clause break before. */
const LEAD_LENGTH = 110;

/** The first sentence, or its opening clauses when it is long ("..., to +57 bp:" of a longer one), and the rest. */
export function leadIn(paragraph: string): { lead: string; rest: string } {
  const [first = '', ...after] = sentencesOf(paragraph);
  let lead = first;
  if (first.length > LEAD_LENGTH) {
    const breaks = [...first.slice(0, LEAD_LENGTH).matchAll(/[,;:](?=\s)/g)].map((m) => m.index + 1).filter((i) => i >= 30);
    if (breaks.length) lead = first.slice(0, breaks.at(-1));
  }
  return { lead, rest: [first.slice(lead.length).trim(), ...after].filter(Boolean).join(' ') };
}

/** The sections with their lead-ins and charts; a chart with no story to sit beside is returned apart. */
export function placeSections(sections: readonly Section[], charts: ReadonlyArray<ChartView & { name: string }>): { sections: SectionView[]; unplaced: ChartView[] } {
  const views: SectionView[] = sections.map((s) => {
    const [first = '', ...rest] = s.paragraphs;
    const { lead, rest: leadRest } = leadIn(first);
    return { title: s.title, lead, leadRest, paragraphs: rest, charts: [] };
  });
  const unplaced: ChartView[] = [];
  for (const { name, ...chart } of charts) {
    const home = homeOf(name, sections);
    if (home >= 0) views[home]!.charts.push(chart);
    else unplaced.push(chart);
  }
  return { sections: views, unplaced };
}
