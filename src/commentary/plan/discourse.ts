/**
 * Document planning's text measures: sentences, figures, the headline restated, and sections of a
 * single sentence joined to their neighbours (microplanning, sentence by sentence, is ../micro/).
 */
import type { Section } from '../compose.js';

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

/** The title of the section that gathers two or more one-sentence sections of different topics. */
export const GATHERED_TITLE = 'Also this week';

/**
 * One-sentence sections: two or more gather, in order, into one last section (a brief, after the sections
 * that have a topic) under a title that claims no single topic; a single one joins the section before it (or after it, if first),
 * its signals going with it.
 */
export function mergeShortSections(sections: readonly Section[]): Section[] {
  const shorts = sections.filter((s) => sentenceCount(s) < 2);
  if (shorts.length >= 2 && sections.length > shorts.length) {
    const gathered: Section = {
      topic: shorts[0]!.topic,
      title: GATHERED_TITLE,
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
