/**
 * Document planning: where each signal is told. The story's lead heads the edition; its evidence makes
 * the lede; the rest go to sections by topic in order of news value. What the story needs, the day
 * that made the week and the Seven against the rest are never cut for room.
 */
import type { Signal, Topic } from '../../analysis/index.js';
import { chooseStory, concentration, dayThatMadeTheWeek, type Story, weekSignals } from './stories.js';

export interface SectionPlan {
  topic: Topic;
  /** Strongest first, what must be told before the rest. */
  signals: Signal[];
}

export interface DocumentPlan {
  story: Story | undefined;
  lede: Signal[];
  sections: SectionPlan[];
  /** Signals the edition is wrong without: a lint finding if any is not told. */
  mustTell: Signal[];
}

/** The lede tells the story in two or three sentences: three signals at most, three sentences at most. */
export const LEDE_SIGNALS = 3;
export const LEDE_SENTENCES = 3;
const SIGNALS_PER_SECTION = 3;

export function planDocument(ranked: readonly Signal[], maxSections: number): DocumentPlan {
  const week = weekSignals(ranked);
  const story = chooseStory(week);
  const lede = (story?.evidence ?? []).slice(0, LEDE_SIGNALS);
  const mustTell = [...new Set([...(story?.evidence ?? []), dayThatMadeTheWeek(week), concentration(week)].filter((s): s is Signal => s !== undefined))];
  const must = new Set(mustTell);
  const sections: SectionPlan[] = [];
  for (const topic of [...new Set(ranked.map((s) => s.topic))]) {
    const ofTopic = ranked.filter((s) => s.topic === topic);
    const required = ofTopic.filter((s) => must.has(s));
    if (sections.length >= maxSections && !required.some((s) => !lede.includes(s))) continue;
    const rest = ofTopic.filter((s) => !must.has(s)).slice(0, Math.max(0, SIGNALS_PER_SECTION - required.length));
    sections.push({ topic, signals: [...required, ...rest] });
  }
  return { story, lede, sections, mustTell };
}

/**
 * Signals planned for the lede that did not fit its three sentences go to the body: into the section
 * that already holds them, else first in a section of their topic, else in a new section ahead of the rest.
 */
export function placeOverflow(sections: readonly SectionPlan[], overflow: readonly Signal[]): SectionPlan[] {
  const out = sections.map((s) => ({ ...s, signals: [...s.signals] }));
  for (const signal of [...overflow].reverse()) {
    if (out.some((s) => s.signals.includes(signal))) continue;
    const same = out.find((s) => s.topic === signal.topic);
    if (same) same.signals.unshift(signal);
    else out.unshift({ topic: signal.topic, signals: [signal] });
  }
  return out;
}
