/**
 * Realisation of the story plan (./plan/): the headline from the story's lead, a lede of two or
 * three sentences from its evidence, sections by topic in order of news value, each figure told once
 * and no time-frame opener said twice. Pure: the same analysis gives the same text.
 */
import { coreFigure, type Analysis, type Signal, type Topic } from '../analysis/index.js';
import type { Newsletter } from '../config/newsletter.js';
import { formatChange, formatLevel } from '../shared/format.js';
import { figureKey, type HelperRoot, type NameInfo } from './helpers.js';
import { rankSignals } from './rank.js';
import { figuresOf, fillLede, ledeAfterHeadline, mergeShortSections, sentencesOf } from './plan/discourse.js';
import { createDiscourse } from './micro/discourse.js';
import { LEDE_SENTENCES, placeOverflow, planDocument, type SectionPlan } from './plan/document.js';
import type { StoryKind } from './plan/stories.js';
import { type CommentaryTemplates, headlineCount, renderBlock } from './templates.js';
import type { CalendarEvent } from '../market/types.js';
import { weekAheadSection } from './week-ahead.js';
import { weekBehindSection, withoutToldDays, type ReleaseFact } from './plan/week-behind.js';
import { messageOf } from '../shared/errors.js';
import { type Fact, factsOf } from './facts.js';
import { joinIds, parallelMoves, sayTogether, toldIds } from './micro/aggregate.js';
import { wordsOf } from './realise/words.js';

export interface Section {
  topic: Topic | 'week-behind' | 'week-ahead';
  title: string;
  paragraphs: string[];
  /** The signal each paragraph tells (parallel to paragraphs). */
  signalIds: string[];
  /** The typed facts each paragraph states (parallel to paragraphs; none for the week ahead and behind). */
  facts?: Fact[][];
}

export interface Commentary {
  headline: string;
  /** Two or three sentences: the week's story across instruments. */
  lede: string;
  ledeSignalIds: string[];
  /** The typed facts the lede states, for the truth checks. */
  ledeFacts: Fact[];
  /** The inbox preview line: the key numbers. */
  preheader: string;
  sections: Section[];
  /** What the week was (the story planner's choice), and the signals it may not go without. */
  story: StoryKind;
  mustTell: string[];
  /** Every fired signal, strongest first: why the headline is what it is. */
  ranking: Array<{ id: string; kind: Signal['kind']; magnitude: number; used: boolean }>;
}

/** A running week number: phrasing turns with it, so consecutive weeks never repeat a sentence. */
export function weekNumber(asOf: string): number {
  return Math.floor((Date.parse(`${asOf}T00:00:00Z`) / 86_400_000 + 3) / 7);
}

const KIND_ARTICLE: ReadonlySet<string> = new Set(['index', 'volatility', 'rate', 'basket']);
/** What a name becomes when said again in its paragraph. */
const LATER: Partial<Record<string, string>> = { index: 'the index', rate: 'the yield' };

/** How each instrument is named in prose on a date (a basket's name only once it was in use). */
export function nameTable(config: Pick<Newsletter, 'instruments' | 'baskets'>, asOf = '9999-12-31'): Record<string, NameInfo> {
  const names: Record<string, NameInfo> = {};
  for (const item of config.instruments)
    names[item.symbol] = { shortName: item.shortName, article: item.article ?? KIND_ARTICLE.has(item.kind), theme: item.theme, gloss: item.gloss, later: LATER[item.kind] };
  for (const item of config.baskets) {
    const early = item.namedSince !== undefined && asOf < item.namedSince && item.earlierName !== undefined;
    names[item.symbol] = early
      ? { shortName: item.earlierName!, article: false, theme: item.earlierName, later: 'the basket' }
      : { shortName: item.shortName, article: true, theme: item.theme, later: 'the basket' };
  }
  return names;
}

export interface ComposeInput {
  analysis: Analysis;
  config: Pick<Newsletter, 'instruments' | 'baskets' | 'maxSections' | 'locale' | 'tableGroups'>;
  templates: CommentaryTemplates;
  /** Next week's scheduled releases (empty: the section is left out). */
  calendar?: readonly CalendarEvent[];
  /** The week just ended's releases, planned (empty: the section is left out). */
  weekBehind?: readonly ReleaseFact[];
}

type Block = 'title' | 'headline' | 'lede' | 'detail';

/** What every template may read besides its signal, with an empty ledger of what has been told. */
export function helperRoot(analysis: Analysis, config: Pick<Newsletter, 'instruments' | 'baskets' | 'locale' | 'tableGroups'>): HelperRoot {
  const all = [...analysis.metrics.values()];
  const anchor = all.find((m) => m.sessions !== undefined && config.tableGroups.includes(m.group)) ?? all.find((m) => m.sessions !== undefined);
  return {
    names: nameTable(config, analysis.asOf),
    locale: config.locale,
    week: weekNumber(analysis.asOf),
    asOf: analysis.asOf,
    weekStart: anchor?.windows['1W']?.base?.date ?? analysis.asOf,
    sessions: anchor?.sessions ?? 5,
    usual: Object.fromEntries(all.map((m) => [m.symbol, m.usualWeekly])),
    bases: Object.fromEntries(all.map((m) => [m.symbol, Object.fromEntries(Object.entries(m.windows).flatMap(([w, c]) => (c?.base ? [[w, c.base.date]] : [])))])),
    stated: new Set(),
    tellOnce: true,
    headlineTold: false,
  };
}

/** Inbox subject lines are cut near 60 characters on phones; the headline is the subject. */
export const SUBJECT_LENGTH = 60;

/**
 * A headline carries the landmark, not the figure the lede gives ("The S&P 500's worst week since
 * 1933"): the first phrasing without a figure that fits a subject line, else the week's own phrasing if
 * it fits, else the next that does, else the shortest.
 */
function fittingHeadline(variant: (turn: number) => string, count: number): string {
  for (let turn = 0; turn < count; turn++) {
    const text = variant(turn);
    if (figuresOf(text).length === 0 && text.length <= SUBJECT_LENGTH) return text;
  }
  let best = variant(0);
  for (let turn = 1; turn < count && best.length > SUBJECT_LENGTH; turn++) {
    const next = variant(turn);
    if (next.length <= SUBJECT_LENGTH || next.length < best.length) best = next;
  }
  return best;
}

export function compose({ analysis, config, templates, calendar = [], weekBehind = [] }: ComposeInput): Commentary {
  const ranked = rankSignals(analysis.signals);
  const plan = planDocument(ranked, config.maxSections);
  const base = helperRoot(analysis, config);
  const scope = (tellOnce = true): HelperRoot => ({ ...base, stated: new Set(), tellOnce });
  // Phrasing turns with the week per signal, so the same story never reads the same two weeks running.
  const fill = (signal: Signal, block: Block, root: HelperRoot, turn = 0) => {
    const kind = templates.get(signal.kind)!;
    try {
      return renderBlock(kind, signal, block, root, turn)
        .replace(/\s+/g, ' ')
        .replace(/\s+([.,;:])/g, '$1')
        .trim();
    } catch (error) {
      throw new Error(`${kind.file} (${block}) failed for signal ${signal.id}: ${messageOf(error)}`);
    }
  };
  const top = plan.story?.lead;
  const headline = top ? fittingHeadline((turn) => fill(top, 'headline', scope(false), turn), headlineCount(templates.get(top.kind)!)) : 'A week without market data';
  const story = scope();
  // A signal whose one figure is already told has nothing new to say.
  const stale = (s: Signal) => {
    const figure = coreFigure(s);
    return figure !== undefined && story.stated.has(figureKey(story, figure.symbol, figure.window));
  };
  // One root keeps one ledger of what is told; headlineTold is set while the headline's own signal, whose
  // figure the headline gave, is told.
  const figureInHeadline = figuresOf(headline).length > 0;
  const ledeOf = (s: Signal) => fill(s, 'lede', Object.assign(story, { headlineTold: s === top && figureInHeadline }));
  const fitted = fitLede(
    plan.lede.filter((s) => !stale(s)),
    ledeOf,
    story,
  );
  const lede = ledeAfterHeadline(headline, fitted.texts).join(' ');
  story.headlineTold = false;
  const inLede = new Set(fitted.told.map((s) => s.id));
  const sections = tellSections(
    placeOverflow(plan.sections, fitted.overflow),
    (signal, block) => fill(signal, block, story),
    (s) => inLede.has(s.id) || stale(s),
    story,
  );
  const byId = new Map(ranked.map((s) => [s.id, s]));
  const filled = fillLede(lede, sections, (id) => fill(byId.get(toldIds([id])[0]!)!, 'title', story), { most: LEDE_SENTENCES, names: base.names });
  const folded = foldLoneSentence(filled.lede, mergeShortSections(filled.sections), new Set(plan.mustTell.map((s) => s.id)));
  const last = fitted.told.at(-1);
  const {
    lede: fullLede,
    sections: told,
    lent,
  } = lendLastSentence(
    folded,
    // The lede's last sentence is its last planned signal's only while nothing joined it.
    last && fitted.told.length > 1 && fitted.sentences.at(-1) === 1 && filled.movedIds.length === 0 && folded.movedIds.length === 0
      ? { id: last.id, title: () => fill(last, 'title', story) }
      : undefined,
  );
  const ledeSignalIds = [...inLede, ...filled.movedIds, ...folded.movedIds].filter((id) => id !== lent);
  const toldLede = microplan(fullLede, told, base.names);
  const used = new Set(toldIds([...ledeSignalIds, ...told.flatMap((s) => s.signalIds)]));
  // The week's biggest day told in the body is not told again beside a release that day.
  const toldDays = analysis.signals.filter((s): s is Extract<Signal, { kind: 'biggest-day' }> => s.kind === 'biggest-day' && used.has(s.id));
  const behind =
    templates.weekBehind && weekBehindSection(withoutToldDays(weekBehind, toldDays), templates.weekBehind, { names: base.names, locale: config.locale, week: base.week });
  if (behind) told.push(behind);
  const ahead = weekAheadSection(calendar, config.locale, base.week);
  if (ahead) told.push(ahead);
  return {
    headline,
    lede: toldLede,
    ledeSignalIds,
    ledeFacts: statedFacts(analysis, byId, ledeSignalIds, told),
    preheader: keyNumbers(analysis, config),
    sections: told,
    story: plan.story?.kind ?? 'market-week',
    mustTell: plan.mustTell.map((s) => s.id),
    ranking: ranked.map((s) => ({ id: s.id, kind: s.kind, magnitude: s.magnitude, used: used.has(s.id) })),
  };
}

/** The facts the lede states, and each section paragraph's (a signal the lede told states its facts there only). */
function statedFacts(analysis: Analysis, byId: ReadonlyMap<string, Signal>, ledeIds: readonly string[], sections: Section[]): Fact[] {
  const dateOf = (symbol: string) => analysis.metrics.get(symbol)?.last?.date ?? analysis.asOf;
  // A sentence of parallel moves states each instrument's move, not its close or its look-back.
  const factsFor = (id: string) => {
    const ids = toldIds([id]);
    const facts = ids.flatMap((one) => (byId.has(one) ? factsOf(byId.get(one)!, dateOf) : []));
    return ids.length > 1 ? facts.filter((f) => f.kind === 'move') : facts;
  };
  const inLede = new Set(toldIds(ledeIds));
  for (const section of sections) section.facts = section.signalIds.map((id) => (toldIds([id]).some((one) => inLede.has(one)) ? [] : factsFor(id)));
  return ledeIds.flatMap(factsFor);
}

/**
 * Each planned section's paragraphs, in order; a signal the lede told (or whose figure is told) gives only
 * its detail; parallel moves not yet told are one sentence, under their signals' joined ids.
 */
function tellSections(planned: readonly SectionPlan[], tell: (signal: Signal, block: Block) => string, detailOnly: (signal: Signal) => boolean, root: HelperRoot): Section[] {
  const sections: Section[] = [];
  for (const { topic, signals } of planned) {
    const section: Section = { topic, title: '', paragraphs: [], signalIds: [] };
    const joined = parallelMoves(signals.filter((s) => !detailOnly(s)));
    for (const signal of signals) {
      const parallel = joined.find((p) => p.moves.some((m) => m === signal));
      if (parallel && parallel.moves[0] !== signal) continue;
      const text = parallel ? sayTogether(parallel, wordsOf(root)) : detailOnly(signal) ? tell(signal, 'detail') : `${tell(signal, 'lede')} ${tell(signal, 'detail')}`.trim();
      if (!text) continue;
      section.title ||= tell(signal, 'title');
      section.paragraphs.push(text);
      section.signalIds.push(parallel ? joinIds(parallel.moves.map((m) => m.id)) : signal.id);
    }
    if (section.paragraphs.length) sections.push(section);
  }
  return sections;
}

/** Microplanning reads the edition in its final order (openers, subjects, pronouns): the lede, and each section's paragraphs in place. */
function microplan(lede: string, sections: Section[], names: Record<string, NameInfo>): string {
  const discourse = createDiscourse(names);
  const told = discourse.paragraph(lede);
  for (const section of sections) section.paragraphs = section.paragraphs.map((p) => discourse.paragraph(p));
  return told;
}

/**
 * The lede's signals in plan order while their sentences fit LEDE_SENTENCES (the first always): one that
 * would run the lede longer is untold (the ledger as it was) and goes to the body.
 */
function fitLede(planned: readonly Signal[], ledeOf: (s: Signal) => string, root: HelperRoot): { told: Signal[]; texts: string[]; sentences: number[]; overflow: Signal[] } {
  const out = { told: [] as Signal[], texts: [] as string[], sentences: [] as number[], overflow: [] as Signal[] };
  let count = 0;
  for (const signal of planned) {
    const before = new Set(root.stated);
    const text = ledeOf(signal);
    const n = sentencesOf(text).length;
    if (out.told.length > 0 && count + n > LEDE_SENTENCES) {
      root.stated = before;
      out.overflow.push(signal);
      continue;
    }
    count += n;
    out.told.push(signal);
    out.sentences.push(n);
    if (text) out.texts.push(text);
  }
  return out;
}

/**
 * A lone section of one sentence is no section: the sentence ends the lede instead, if the lede has room;
 * if not, and the story does not need it, it is dropped.
 */
function foldLoneSentence(lede: string, sections: Section[], mustTell: ReadonlySet<string>): { lede: string; sections: Section[]; movedIds: string[] } {
  const [only] = sections;
  if (sections.length !== 1 || !only || sentencesOf(only.paragraphs.join(' ')).length > 1) return { lede, sections, movedIds: [] };
  if (sentencesOf(lede).length >= LEDE_SENTENCES) return { lede, sections: only.signalIds.some((id) => mustTell.has(id)) ? sections : [], movedIds: [] };
  return { lede: `${lede} ${only.paragraphs.join(' ')}`.trim(), sections: [], movedIds: only.signalIds };
}

/**
 * A lone one-sentence section the story needs, beside a full lede: the lede's last sentence, when it is its
 * last signal's whole text, opens that section instead, under its own title, so neither runs long or short.
 */
function lendLastSentence(
  folded: { lede: string; sections: Section[] },
  last: { id: string; title: () => string } | undefined,
): { lede: string; sections: Section[]; lent?: string } {
  const [only] = folded.sections;
  const sentences = sentencesOf(folded.lede);
  if (!last || folded.sections.length !== 1 || !only || sentencesOf(only.paragraphs.join(' ')).length !== 1 || sentences.length < LEDE_SENTENCES) return folded;
  const section: Section = { ...only, title: last.title() || only.title, paragraphs: [sentences.at(-1)!, ...only.paragraphs], signalIds: [last.id, ...only.signalIds] };
  return { lede: sentences.slice(0, -1).join(' '), sections: [section], lent: last.id };
}

/** "S&P 500 +1.2% · Russell 2000 +6.3% · 10-year yield 4.12%": what an inbox preview should show. */
function keyNumbers(analysis: Analysis, config: ComposeInput['config']): string {
  const table = [...analysis.metrics.values()].filter((m) => config.tableGroups.includes(m.group) && m.last);
  const prices = table
    .filter((m) => m.unit === 'pct' && m.windows['1W'])
    .slice(0, 2)
    .map((m) => `${m.shortName} ${formatChange(m.windows['1W']!.change, 'pct', config.locale)}`);
  const rate = table.find((m) => m.unit === 'bp');
  const parts = [...prices, ...(rate ? [`${rate.shortName} ${formatLevel(rate.last!.close, 'bp', config.locale)}`] : [])];
  return parts.join(' · ');
}
