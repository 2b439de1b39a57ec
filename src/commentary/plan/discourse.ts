/**
 * Document planning's text measures: sentences, figures, the headline restated, and sections of a
 * single sentence joined to their neighbours (microplanning, sentence by sentence, is ../micro/).
 */
import type { Section } from '../compose.js';
import type { NameInfo } from '../helpers.js';
import { subjectOf } from '../micro/subject.js';

/** Sentences of a paragraph (they end in . ! or ? before a capital; figures such as 2,304.92 do not split). */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z"“])/).filter((s) => s.trim() !== '');
}

const wordsOf = (text: string) => new Set((text.toLowerCase().match(/[a-z&][a-z0-9&'-]{2,}/g) ?? []).filter((w) => !['the', 'its', 'and', 'week', 'this'].includes(w)));
/** The figures a text states (1.4%, 2,304.92): not the numbers in names (S&P 500) or years. */
export const figuresOf = (text: string): string[] => text.match(/[\d,]*\d\.\d+%?|\d+%/g) ?? [];

/** Does a sentence say again what the headline said: its figures and 80% or more of its words? */
export function restatesHeadline(headline: string, sentence: string): boolean {
  const figures = figuresOf(headline);
  if (!figures.length || !figures.every((f) => sentence.includes(f))) return false;
  const words = wordsOf(headline);
  const lead = wordsOf(sentence);
  return words.size > 0 && [...words].filter((w) => lead.has(w)).length / words.size >= 0.8;
}

/** The lede's sentences, the one that restates the headline moved after the next (the headline has said it). */
export function ledeAfterHeadline(headline: string, sentences: readonly string[]): string[] {
  const [first, second, ...rest] = sentences;
  if (first === undefined || second === undefined || !restatesHeadline(headline, first)) return [...sentences];
  return [second, first, ...rest];
}

const sentenceCount = (section: Section) => section.paragraphs.reduce((n, p) => n + sentencesOf(p).length, 0);

/** A paragraph joins the lede after the last sentence about the same instrument (so it can say "it"), else at its end. */
function besideItsSubject(lede: string, paragraph: string, names: Readonly<Record<string, NameInfo>>): string {
  const sentences = sentencesOf(lede);
  const symbol = subjectOf(paragraph, names)?.symbol;
  const at = symbol === undefined ? -1 : sentences.findLastIndex((s) => subjectOf(s, names)?.symbol === symbol);
  if (at < 0) return `${lede} ${paragraph}`.trim();
  return [...sentences.slice(0, at + 1), paragraph, ...sentences.slice(at + 1)].join(' ');
}

/**
 * A lede of fewer than three sentences takes the body's one-sentence sections, strongest first, while they
 * fit; a lede of one sentence then takes the first paragraph that fits, so it reads as two or three. A
 * section that gives up its first paragraph takes the title of its next (titleOf), or goes if it is empty.
 */
export function fillLede(
  lede: string,
  sections: readonly Section[],
  titleOf: (signalId: string) => string,
  { most, names }: { most: number; names: Readonly<Record<string, NameInfo>> },
): { lede: string; sections: Section[]; movedIds: string[] } {
  let text = lede;
  const movedIds: string[] = [];
  const out = sections.map((s) => ({ ...s, paragraphs: [...s.paragraphs], signalIds: [...s.signalIds] }));
  const room = () => most - sentencesOf(text).length;
  const take = (section: Section, i: number) => {
    text = besideItsSubject(text, section.paragraphs[i]!, names);
    movedIds.push(section.signalIds[i]!);
    section.paragraphs.splice(i, 1);
    section.signalIds.splice(i, 1);
    if (i === 0 && section.signalIds[0] !== undefined) section.title = titleOf(section.signalIds[0]) || section.title;
  };
  // Not when it would leave a lone one-sentence section behind: two of them make a section together.
  const leavesALoneShort = (section: Section) => {
    const rest = out.filter((s) => s !== section && s.paragraphs.length > 0);
    return rest.length === 1 && sentenceCount(rest[0]!) === 1;
  };
  for (const section of out) if (sentenceCount(section) === 1 && room() >= 1 && !leavesALoneShort(section)) take(section, 0);
  for (const section of out) {
    const i = section.paragraphs.findIndex((p) => sentencesOf(p).length <= room());
    if (sentencesOf(text).length < 2 && i >= 0) take(section, i);
  }
  return { lede: text, sections: out.filter((s) => s.paragraphs.length > 0), movedIds };
}

/**
 * One-sentence sections: two or more gather, in order, into one last section under the title of the
 * strongest of them (it says what comes first, not a catch-all); a single one joins the section before it
 * (or after it, if first), its signals going with it.
 */
export function mergeShortSections(sections: readonly Section[]): Section[] {
  const shorts = sections.filter((s) => sentenceCount(s) < 2);
  if (shorts.length >= 2 && sections.length > shorts.length) {
    const gathered: Section = {
      topic: shorts[0]!.topic,
      title: shorts[0]!.title,
      paragraphs: shorts.flatMap((s) => s.paragraphs),
      signalIds: shorts.flatMap((s) => s.signalIds),
    };
    return [...sections.filter((s) => !shorts.includes(s)).map((s) => ({ ...s })), gathered];
  }
  const out: Section[] = [];
  for (const section of sections) {
    const previous = out.at(-1);
    if (previous && (sentenceCount(section) < 2 || sentenceCount(previous) < 2)) {
      out[out.length - 1] = { ...previous, paragraphs: [...previous.paragraphs, ...section.paragraphs], signalIds: [...previous.signalIds, ...section.signalIds] };
    } else out.push({ ...section });
  }
  return out;
}
