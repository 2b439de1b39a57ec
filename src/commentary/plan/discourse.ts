/**
 * Microplanning across the edition: what one sentence cannot know about the others. A time-frame
 * opener ("This week,", "In the four-session week,") is said once; after that the week is understood.
 * A section of a single sentence joins its neighbour instead of standing alone under a title.
 */
import type { Section } from '../compose.js';

/** Openers that only restate the edition's own time frame: after the first, they drop. */
const TIME_FRAME_OPENER = /^(?:This week|In the (?:[a-z]+-session|holiday-shortened) week|Over the week),\s+/;
/** Any other opening phrase ("Over the past month,", "On Monday,"): said again, it moves to the sentence's end. */
export const OPENER = /^((?:This|Last|On|In|For|Over|By|At|After|Since)\b[^,:;]{0,30}),\s+/;

/** Sentences of a paragraph (they end in . ! or ? before a capital; figures such as 2,304.92 do not split). */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z"“])/).filter((s) => s.trim() !== '');
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export interface Discourse {
  /** The paragraph as the edition tells it, given what came before. */
  paragraph(text: string): string;
}

/** "On Monday, X closed at 9, its high." -> "X closed at 9 on Monday, its high.": the phrase moves to the end of the first clause. */
function openerToEnd(text: string, opener: string): string {
  const rest = text.slice(text.indexOf(',') + 1).trim();
  const end = rest.search(/[,;:](?=\s)|[.!?]$/);
  if (end < 0) return text;
  return capitalise(`${rest.slice(0, end)} ${opener.charAt(0).toLowerCase()}${opener.slice(1)}${rest.slice(end)}`);
}

export function createDiscourse(): Discourse {
  const said = new Set<string>();
  const sentence = (text: string) => {
    const opener = OPENER.exec(text)?.[1];
    if (!opener) return text;
    const key = TIME_FRAME_OPENER.test(text) ? 'the week' : opener.toLowerCase();
    if (!said.has(key)) {
      said.add(key);
      return text;
    }
    return TIME_FRAME_OPENER.test(text) ? capitalise(text.replace(TIME_FRAME_OPENER, '')) : openerToEnd(text, opener);
  };
  return { paragraph: (text) => sentencesOf(text).map(sentence).join(' ') };
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
