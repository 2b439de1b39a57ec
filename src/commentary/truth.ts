/**
 * The contradiction check: every "verb + number" in a section must agree in sign and size with the
 * signal it describes, and every comparison must name the real leader first. Used by the tests and
 * by `marketwrap backtest`, which runs it on every week it renders.
 */
import type { Signal } from '../analysis/index.js';
import type { Commentary } from './compose.js';
import { DOWN_VERBS, formatSize, shown, UP_VERBS, type NameInfo } from './helpers.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const VERB_NUMBER = new RegExp(`\\b(${[...UP_VERBS, ...DOWN_VERBS].map(escape).join('|')}) ([0-9.,]+(?:%| basis points?| points?))`, 'g');

/** Every (value, unit) a signal may state beside a direction verb. */
export function statedChanges(signal: Signal): Array<{ value: number; unit: 'pct' | 'bp' | 'pt' }> {
  switch (signal.kind) {
    case 'relative': return [{ value: signal.leader.change, unit: 'pct' }, { value: signal.laggard.change, unit: 'pct' }];
    case 'move': return [{ value: signal.change, unit: signal.unit }];
    case 'level': return signal.weekChange === undefined ? [] : [{ value: signal.weekChange, unit: signal.unit }];
    case 'biggest-day': return [{ value: signal.change, unit: 'pct' }];
    case 'curve': return [{ value: signal.long.change, unit: 'bp' }, { value: signal.short.change, unit: 'bp' }, ...(signal.companion ? [{ value: signal.companion.change, unit: 'pct' as const }] : [])];
    default: return [];
  }
}

export function findContradictions(commentary: Commentary, signals: readonly Signal[], names: Record<string, NameInfo>): string[] {
  const problems: string[] = [];
  const bySignal = new Map(signals.map((s) => [s.id, s]));
  const label = (symbol: string) => names[symbol]?.shortName ?? symbol;
  for (const section of commentary.sections) {
    const signal = bySignal.get(section.signalId);
    if (!signal) continue;
    const text = section.paragraphs.join(' ');
    const allowed = statedChanges(signal);
    for (const match of text.matchAll(VERB_NUMBER)) {
      const up = UP_VERBS.includes(match[1]!);
      const ok = allowed.some((c) => (up ? shown(c.value, c.unit) > 0 : shown(c.value, c.unit) < 0) && formatSize(c.value, c.unit) === match[2]);
      if (!ok) problems.push(`${signal.id}: "${match[0]}" matches no ${up ? 'rise' : 'fall'} in the numbers`);
    }
    if (signal.kind === 'relative') {
      const leader = label(signal.leader.symbol);
      const laggard = label(signal.laggard.symbol);
      for (const sentence of text.split(/(?<=\.)\s/)) {
        if (sentence.includes(leader) && sentence.includes(laggard) && sentence.indexOf(leader) > sentence.indexOf(laggard)) {
          problems.push(`${signal.id}: "${sentence}" names the laggard first`);
        }
      }
    }
  }
  return problems;
}
