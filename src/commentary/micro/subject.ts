/**
 * Who a sentence is about: the instrument named at its start ("The S&P 500 fell", "The S&P 500's close"),
 * and every instrument it names. Read from the edition's name table, so a name is found as the
 * realisers wrote it.
 */
import { escapeRegExp } from '../../shared/escape.js';
import type { NameInfo } from '../helpers.js';

export interface Subject {
  symbol: string;
  /** The words that name it at the sentence's start, as written ("The S&P 500"). */
  phrase: string;
  /** "The S&P 500's close": the name is a possessive. */
  possessive: boolean;
}

/** "The S&P 500", "Financials": how a name opens a sentence. */
export const openingName = (info: NameInfo): string => {
  const name = info.article && !info.shortName.startsWith('the ') ? `the ${info.shortName}` : info.shortName;
  return name.charAt(0).toUpperCase() + name.slice(1);
};

/** The instrument a sentence opens on, the longest name first ("The S&P 500" before "The S&P"). */
export function subjectOf(sentence: string, names: Readonly<Record<string, NameInfo>>): Subject | undefined {
  const found = Object.entries(names)
    .map(([symbol, info]) => ({ symbol, phrase: openingName(info) }))
    .filter(({ phrase }) => sentence.startsWith(phrase) && /^(?:'s)?[\s,:;]/.test(sentence.slice(phrase.length)))
    .sort((a, b) => b.phrase.length - a.phrase.length)[0];
  return found && { ...found, possessive: sentence.startsWith(`${found.phrase}'s`) };
}

/** Every instrument a sentence names, by its name (case aside). */
export function mentionsOf(sentence: string, names: Readonly<Record<string, NameInfo>>): string[] {
  const lower = sentence.toLowerCase();
  return patternsOf(names)
    .filter(([, pattern]) => pattern.test(lower))
    .map(([symbol]) => symbol);
}

/** Each name's pattern, made once per name table (an edition asks for every sentence). */
const PATTERNS = new WeakMap<object, Array<[string, RegExp]>>();
function patternsOf(names: Readonly<Record<string, NameInfo>>): Array<[string, RegExp]> {
  let patterns = PATTERNS.get(names);
  if (!patterns) {
    patterns = Object.entries(names).map(([symbol, info]) => [symbol, new RegExp(`(?<![\\w-])${escapeRegExp(info.shortName.toLowerCase())}(?![\\w-])`)]);
    PATTERNS.set(names, patterns);
  }
  return patterns;
}
