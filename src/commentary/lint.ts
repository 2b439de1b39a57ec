/**
 * The editor's lint: what a markets editor strikes in a junior writer's copy, as checks over the
 * composed edition and its plan. Run by every backtest (and so by the suite on every real week) beside
 * the truth checks; each finding names its rule and the words.
 */
import type { Commentary } from './compose.js';
import { toldIds } from './micro/aggregate.js';
import { OPENER, openerOf } from './micro/discourse.js';
import { restatesHeadline, sentencesOf } from './plan/discourse.js';
import { LEDE_SENTENCES } from './plan/document.js';

export type LintRule =
  | 'repeated-opener'
  | 'self-reference'
  | 'orphan-pronoun'
  | 'grammar'
  | 'headline-restated'
  | 'one-sentence-section'
  | 'missing-evidence'
  | 'glossary'
  | 'causal'
  | 'long-lede';

export interface LintFinding {
  rule: LintRule;
  text: string;
}

const SELF_REFERENCE = /\b(zone|threshold|the [\d.,]+ mark\b)/i;
const ORPHAN = /^(It|Its|That|This|These|They|Those)\b(?! week\b)/;
const GLOSSARY = /^An? (correction|bear market|bull market) is\b/;
/** A before a vowel sound (the few words that start with a consonant sound are let through). */
const WRONG_ARTICLE = /\ba (?!one\b|once\b|uni|use|usu|US\b|U\.S\.)[aeiouAEIOU]\w*/;
/** A before a figure said with a vowel sound (eight, eleven, eighteen): "a 8.8% loss". */
const WRONG_ARTICLE_FIGURE = /\ba (?:8|1[18](?![\d,]))[\d.,]*%?/;
const PAST_AFTER_HAVING = /\bhaving (fell|rose|was|sank|ran|grew|drew|gave|took|slid|swung|began)\b/;
const DOUBLED_WORD = /\b(\w+) \1\b/i;
/**
 * A release told as the cause of the market's move: the data and the move of that day are two facts
 * side by side; a desk cannot know one caused the other ("after", "because", "sent yields lower on",
 * "as investors digested").
 */
const CAUSAL =
  /\b(after|because|as a result|as (?:investors|traders|markets?)|investors|traders|sen(?:t|ding|ds)\b[^.;]*\b(?:lower|higher|down|up)|on the (?:news|data|report|release|figures)|in response|react\w*|prompt\w*|driven|due to|amid|following|thanks to|spurr?\w*|spark\w*|trigger\w*|fuel\w*|weigh\w*|lift\w*|push\w*|boost\w*|drag\w*|digest\w*|caus\w*|led to|so that|therefore|hence)\b/i;

function proseOf(c: Commentary): string[] {
  return [c.lede, ...c.sections.filter((s) => s.topic !== 'week-ahead').flatMap((s) => s.paragraphs)];
}

/** The market's paragraphs (the calendars, behind and ahead, are lists of their own). */
const paragraphsOf = (c: Commentary): string[] => [c.lede, ...c.sections.filter((s) => s.topic !== 'week-ahead' && s.topic !== 'week-behind').flatMap((s) => s.paragraphs)];

function grammar(sentence: string): LintFinding[] {
  return [WRONG_ARTICLE, WRONG_ARTICLE_FIGURE, PAST_AFTER_HAVING, DOUBLED_WORD].flatMap((pattern) => {
    const hit = pattern.exec(sentence);
    return hit ? [{ rule: 'grammar' as const, text: `"${hit[0]}" in: ${sentence}` }] : [];
  });
}

/** A paragraph whose first sentence opens on a pronoun: its antecedent is in another paragraph, or nowhere. */
function orphanFindings(c: Commentary): LintFinding[] {
  return paragraphsOf(c).flatMap((paragraph) => {
    const opening = sentencesOf(paragraph)[0] ?? '';
    return ORPHAN.test(opening) ? [{ rule: 'orphan-pronoun' as const, text: opening }] : [];
  });
}

/** Two sentences of a paragraph that open the same way (their first two words), heard as a list. */
function openerFindings(c: Commentary): LintFinding[] {
  return paragraphsOf(c).flatMap((paragraph) => {
    const seen = new Set<string>();
    return sentencesOf(paragraph).flatMap((sentence) => {
      const opener = openerOf(sentence);
      if (!seen.has(opener)) return seen.add(opener) && [];
      return [{ rule: 'repeated-opener' as const, text: `"${opener}" opens two sentences of: ${paragraph}` }];
    });
  });
}

function sentenceFindings(c: Commentary): LintFinding[] {
  const findings: LintFinding[] = [];
  const openers = new Map<string, number>();
  for (const sentence of proseOf(c).flatMap(sentencesOf)) {
    const opener = OPENER.exec(sentence)?.[1]?.toLowerCase();
    if (opener) {
      openers.set(opener, (openers.get(opener) ?? 0) + 1);
      if (openers.get(opener) === 2) findings.push({ rule: 'repeated-opener', text: `"${opener}," opens more than one sentence` });
    }
    if (SELF_REFERENCE.test(sentence)) findings.push({ rule: 'self-reference', text: sentence });
    if (GLOSSARY.test(sentence)) findings.push({ rule: 'glossary', text: sentence });
    findings.push(...grammar(sentence));
  }
  return findings;
}

/** Each sentence of the week behind: a release beside the market's move, never as its cause. */
function causalFindings(c: Commentary): LintFinding[] {
  const releases = c.sections.filter((s) => s.topic === 'week-behind').flatMap((s) => s.paragraphs.flatMap(sentencesOf));
  return releases.flatMap((sentence) => {
    const hit = CAUSAL.exec(sentence);
    return hit ? [{ rule: 'causal' as const, text: `"${hit[0]}" in: ${sentence}` }] : [];
  });
}

function structureFindings(c: Commentary): LintFinding[] {
  const findings: LintFinding[] = [];
  const told = new Set(toldIds([...c.ledeSignalIds, ...c.sections.flatMap((s) => s.signalIds)]));
  for (const id of c.mustTell) if (!told.has(id)) findings.push({ rule: 'missing-evidence', text: `the ${c.story} story needs ${id}, which is not told` });
  for (const section of c.sections) {
    const sentences = section.paragraphs.flatMap(sentencesOf).length;
    // The calendars, behind and ahead, are lists: one release is a section.
    if (section.topic !== 'week-ahead' && section.topic !== 'week-behind' && sentences < 2) findings.push({ rule: 'one-sentence-section', text: section.title });
  }
  const lede = sentencesOf(c.lede);
  if (lede.length > LEDE_SENTENCES) findings.push({ rule: 'long-lede', text: `${lede.length} sentences: ${c.lede}` });
  const first = lede[0] ?? '';
  if (restatesHeadline(c.headline, first)) findings.push({ rule: 'headline-restated', text: `${c.headline} / ${first}` });
  return findings;
}

export function lintEdition(commentary: Commentary): LintFinding[] {
  return [...structureFindings(commentary), ...sentenceFindings(commentary), ...orphanFindings(commentary), ...openerFindings(commentary), ...causalFindings(commentary)];
}
