/**
 * Microplanning: what one sentence cannot know about the others, applied to the edition in its final
 * order. A typed discourse holds what was said: the sentence openers used in the edition (the first two
 * words; no two sentences open the same way), the time frame once said, and per paragraph the previous
 * subject and the instruments named. A name said again in its paragraph becomes "it" (the previous
 * sentence's subject, so the pronoun has its antecedent in its own paragraph) or "the index" / "the yield"
 * (when no other index or yield was named there); a sentence whose opening is taken opens on its day or
 * period instead ("On Monday, the Dow...").
 */
import type { NameInfo } from '../helpers.js';
import { sentencesOf } from '../plan/discourse.js';
import { mentionsOf, openingName, type Subject, subjectOf } from './subject.js';

/** Openers that only restate the edition's own time frame: after the first, they drop. */
const TIME_FRAME_OPENER = /^(?:This week|In the (?:[a-z]+-session|holiday-shortened) week|Over the week),\s+/;
/** Any other opening phrase ("Over the past month,", "On Monday,"): said again, it moves to the sentence's end. */
export const OPENER = /^((?:This|Last|On|In|For|Over|By|At|After|Since)\b[^,:;]{0,30}),\s+/;
/** A day or period at the end of a sentence's first clause, which can open it instead. */
const FRONTABLE = / (on (?:Monday|Tuesday|Wednesday|Thursday|Friday)|over the past (?:month|three months|year)|so far this year|this week|in the [a-z]+-session week)(?=[ ,.:;])/;

/** "the s&p": the first two words of a sentence, how the ear hears two sentences open the same way. */
export const openerOf = (sentence: string): string =>
  sentence
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w.replace(/[,:;.]+$/, '').replace(/'s$/, ''))
    .join(' ')
    .toLowerCase();

/** "This week, the S&P 500 fell" -> "the S&P 500 fell", capitalised: where the subject starts. */
const withoutOpener = (text: string): string => capitalise(text.replace(OPENER, ''));

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** What the edition has said so far, and what the paragraph being told has said. */
export interface DiscourseState {
  openers: Set<string>;
  timeFrameSaid: boolean;
  paragraph: { previous?: string; named: string[]; openers: Set<string> };
}

export interface Discourse {
  state: DiscourseState;
  /** The paragraph as the edition tells it, given what came before. */
  paragraph(text: string): string;
}

/** "On Monday, X closed at 9, its high." -> "X closed at 9 on Monday, its high.": the phrase moves to the end of the first clause. */
function openerToEnd(text: string, opener: string): string {
  const rest = text.slice(text.indexOf(',') + 1).trim();
  const end = rest.search(/[,;:](?=\s)|[.!?]$/);
  if (end < 0) return text;
  return capitalise(`${rest.slice(0, end)} ${lowerFirst(opener)}${rest.slice(end)}`);
}

/** A time-frame opener said once; another opening phrase said again moves to the clause's end. */
function timeFrame(text: string, state: DiscourseState): string {
  const opener = OPENER.exec(text)?.[1];
  if (!opener) return text;
  if (TIME_FRAME_OPENER.test(text)) {
    if (!state.timeFrameSaid) {
      state.timeFrameSaid = true;
      return text;
    }
    return capitalise(text.replace(TIME_FRAME_OPENER, ''));
  }
  return state.openers.has(openerOf(text)) ? openerToEnd(text, opener) : text;
}

/** Another way to open a sentence about a subject, or none: "It", "The index", or its day first. */
function reopen(text: string, subject: Subject, names: Readonly<Record<string, NameInfo>>, state: DiscourseState): string | undefined {
  const rest = text.slice(subject.phrase.length + (subject.possessive ? 2 : 0));
  const later = names[subject.symbol]?.later;
  const { paragraph } = state;
  // The instruments the reader has in mind: those named in the paragraph and in this sentence.
  const inMind = [...paragraph.named, ...mentionsOf(rest, names)];
  const candidates: string[] = [];
  if (paragraph.previous === subject.symbol) candidates.push(`${subject.possessive ? 'Its' : 'It'}${rest}`);
  // "The index" only where it can mean one thing: no other instrument of that noun named in the paragraph.
  if (later && paragraph.named.includes(subject.symbol) && !inMind.some((s) => s !== subject.symbol && names[s]?.later === later))
    candidates.push(`${capitalise(later)}${subject.possessive ? "'s" : ''}${rest}`);
  const day = FRONTABLE.exec(text);
  // The edition's own week opens a sentence once (after that it is understood, and dropped).
  const week = day && TIME_FRAME_OPENER.test(`${capitalise(day[1]!)}, `);
  if (day && !(week && state.timeFrameSaid)) candidates.push(`${capitalise(day[1]!)}, ${lowerFirst(text.slice(0, day.index))}${text.slice(day.index + day[0].length)}`);
  // Free in the edition, else at least in the paragraph (two openings alike in one paragraph read as a list).
  // A day or period said again as an opener is a repeated opener wherever it is.
  const chosen = candidates.find((c) => !state.openers.has(openerOf(c))) ?? candidates.find((c) => !OPENER.test(c) && !paragraph.openers.has(openerOf(c)));
  if (chosen && TIME_FRAME_OPENER.test(chosen)) state.timeFrameSaid = true;
  return chosen;
}

/** "Small caps led: the Russell 2000 rose 2.3%...": a preface to the clause that says it, which can go. */
const PREFACE = /^[A-Z][^:.,;]{0,40}: (?=the |[A-Z])/;

/**
 * The paragraph's subject after a sentence: its own, else (a sentence without an instrument for subject,
 * "That came as...", "No week saw the Dow lead...", which comments on the one before) the previous one
 * while it is named or referred to; else none. The discourse and resolveReferences read it alike.
 */
function subjectAfter(previous: string | undefined, own: string | undefined, text: string, named: readonly string[]): string | undefined {
  if (own !== undefined) return own;
  return previous !== undefined && (/^That\b/.test(text) || named.includes(previous)) ? previous : undefined;
}

function sentence(text: string, names: Readonly<Record<string, NameInfo>>, state: DiscourseState): string {
  let out = timeFrame(text, state);
  // A preface said already opens nothing new: the clause after it opens the sentence instead.
  const preface = PREFACE.exec(out)?.[0];
  if (preface && state.openers.has(openerOf(out))) out = capitalise(out.slice(preface.length));
  const subject = subjectOf(out, names);
  // A name said again in its paragraph, or an opening the edition has used: the sentence opens another way.
  if (subject && (state.paragraph.named.includes(subject.symbol) || state.openers.has(openerOf(out)))) out = reopen(out, subject, names, state) ?? out;
  state.openers.add(openerOf(out));
  state.paragraph.openers.add(openerOf(out));
  const named = mentionsOf(out, names);
  state.paragraph.previous = subjectAfter(state.paragraph.previous, subject?.symbol ?? subjectOf(withoutOpener(out), names)?.symbol, out, named);
  for (const symbol of named) if (!state.paragraph.named.includes(symbol)) state.paragraph.named.push(symbol);
  if (subject && !state.paragraph.named.includes(subject.symbol)) state.paragraph.named.push(subject.symbol);
  return out;
}

/**
 * "A fell. B rose. A's close was a high." -> "A fell. A's close was a high. B rose.": a sentence about the
 * subject of the sentence before last moves up beside it (so it can be "it"), unless either sentence
 * leans on the one before it ("That...", "It...").
 */
function subjectsTogether(sentences: readonly string[], names: Readonly<Record<string, NameInfo>>): string[] {
  const out = [...sentences];
  const about = (text: string) => subjectOf(withoutOpener(text), names)?.symbol;
  const leans = (text: string) => /^(?:That|It|Its|This(?! week))\b/.test(text);
  for (let i = 2; i < out.length; i++) {
    const subject = about(out[i]!);
    if (subject !== undefined && about(out[i - 2]!) === subject && about(out[i - 1]!) !== subject && !leans(out[i]!) && !leans(out[i - 1]!)) {
      [out[i - 1], out[i]] = [out[i]!, out[i - 1]!];
    }
  }
  return out;
}

export function createDiscourse(names: Readonly<Record<string, NameInfo>>): Discourse {
  const state: DiscourseState = { openers: new Set(), timeFrameSaid: false, paragraph: { named: [], openers: new Set() } };
  return {
    state,
    paragraph: (text) => {
      state.paragraph = { named: [], openers: new Set() };
      return subjectsTogether(sentencesOf(text), names)
        .map((s) => sentence(s, names, state))
        .join(' ');
    },
  };
}

/** A sentence's opening reference to the paragraph's subject, which the discourse writes. */
const REFERENCE = /^(?:It|Its|The (?:index|yield|basket)(?:'s)?)(?=[\s,])/;

/**
 * A paragraph's sentences with each opening reference ("It", "The index's") replaced by its antecedent's
 * name, the last instrument a sentence of the paragraph opened on: what a check reads as the sentence's
 * subject. A reference with no antecedent is left as written.
 */
export function resolveReferences(paragraph: string, names: Readonly<Record<string, NameInfo>>): string[] {
  let previous: string | undefined;
  return sentencesOf(paragraph).map((text) => {
    const reference = REFERENCE.exec(text)?.[0];
    const antecedent = previous === undefined ? undefined : names[previous];
    const out = reference && antecedent ? `${openingName(antecedent)}${/'s$|^Its$/.test(reference) ? "'s" : ''}${text.slice(reference.length)}` : text;
    previous = subjectAfter(previous, subjectOf(withoutOpener(out), names)?.symbol, out, mentionsOf(out, names));
    return out;
  });
}
