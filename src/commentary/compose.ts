import type { Analysis, Signal } from '../analysis/index.js';
import type { Newsletter } from '../config/newsletter.js';
import type { HelperRoot, NameInfo } from './helpers.js';
import { rankSignals } from './rank.js';
import type { CommentaryTemplates, KindTemplates } from './templates.js';

export interface Section {
  signalId: string;
  kind: Signal['kind'];
  title: string;
  paragraphs: string[];
}

export interface Commentary {
  headline: string;
  preheader: string;
  sections: Section[];
  /** Every fired signal, strongest first: why the headline is what it is. */
  ranking: Array<{ id: string; kind: Signal['kind']; magnitude: number; used: boolean }>;
}

/**
 * The phrasing: a function of the week and the signal (its rule id). A preview is the same text as the
 * send, and one signal's phrasing moves on each week, so consecutive weeks never repeat it.
 */
export function weekNumber(asOf: string): number {
  return Math.floor((Date.parse(`${asOf}T00:00:00Z`) / 86_400_000 + 3) / 7);
}

function pick<T>(choices: readonly T[], week: number, key: string): T {
  let h = 2_166_136_261; // FNV-1a, so different signals start at different phrasings
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16_777_619);
  return choices[(week + (h >>> 0)) % choices.length]!;
}

const KIND_ARTICLE: ReadonlySet<string> = new Set(['index', 'volatility', 'rate', 'basket']);

export function nameTable(config: Pick<Newsletter, 'instruments' | 'baskets'>): Record<string, NameInfo> {
  const names: Record<string, NameInfo> = {};
  for (const item of config.instruments) names[item.symbol] = { shortName: item.shortName, article: item.article ?? KIND_ARTICLE.has(item.kind), theme: item.theme };
  for (const item of config.baskets) names[item.symbol] = { shortName: item.shortName, article: true, theme: item.theme };
  return names;
}

const QUIET_HEADLINE = 'A quiet week: no move crossed the thresholds this newsletter watches';

export interface ComposeInput {
  analysis: Analysis;
  config: Pick<Newsletter, 'instruments' | 'baskets' | 'maxSections' | 'locale'>;
  editionId: string;
  templates: CommentaryTemplates;
}

export function compose({ analysis, config, editionId, templates }: ComposeInput): Commentary {
  const ranked = rankSignals(analysis.signals);
  const chosen = ranked.slice(0, config.maxSections);
  const root: HelperRoot = { names: nameTable(config), locale: config.locale, week: weekNumber(analysis.asOf) };
  const { week } = root;
  const fill = (signal: Signal, part: 'title' | 'headline' | 'paragraph') => {
    const kind: KindTemplates = templates.get(signal.kind)!;
    const template = part === 'title' ? kind.title : pick(kind[part], week, `${signal.id}:${part}`);
    try {
      return template({ ...signal, ...root }).replace(/\s+/g, ' ').trim();
    } catch (error) {
      throw new Error(`${kind.file} (${part}) failed for signal ${signal.id}: ${(error as Error).message}`);
    }
  };
  const sections = chosen.map((signal) => ({ signalId: signal.id, kind: signal.kind, title: fill(signal, 'title'), paragraphs: [fill(signal, 'paragraph')] }));
  const top = chosen[0];
  const headline = top ? fill(top, 'headline') : QUIET_HEADLINE;
  // The preheader (inbox preview line) teases what follows the headline: the next sections' titles.
  const preheader = sections.length > 1 ? `Also inside: ${sections.slice(1, 4).map((s) => s.title).join('; ')}.` : (sections[0]?.paragraphs[0] ?? headline);
  const used = new Set(chosen.map((s) => s.id));
  return {
    headline,
    preheader,
    sections,
    ranking: ranked.map((s) => ({ id: s.id, kind: s.kind, magnitude: s.magnitude, used: used.has(s.id) })),
  };
}
