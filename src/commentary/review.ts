/**
 * Every check of what an edition says, against its own numbers and the closes behind them: the truth
 * checks, the look-backs recomputed from closes, and the editor's lint. Run on every build (a list send
 * of an edition with findings is held) and on every week of a backtest. Pure.
 */
import type { Analysis } from '../analysis/index.js';
import type { Newsletter } from '../config/newsletter.js';
import type { Snapshot } from '../market/types.js';
import { type Commentary, nameTable } from './compose.js';
import type { EditionReview } from './findings.js';
import { lintEdition } from './lint.js';
import { findContradictions, findFactErrors, findLookbackErrors, findStyleProblems } from './truth.js';

export function reviewEdition(analysis: Analysis, commentary: Commentary, snapshot: Snapshot, config: Pick<Newsletter, 'instruments' | 'baskets'>): EditionReview {
  const names = nameTable(config, analysis.asOf);
  const units = new Map([...analysis.metrics].map(([symbol, m]) => [symbol, m.unit]));
  return {
    // The typed facts behind each sentence, recomputed from the closes, beside what the words say.
    contradictions: [...findContradictions(commentary, analysis.signals, names), ...findFactErrors(commentary, snapshot.series, config.baskets)],
    lookbacks: findLookbackErrors(analysis.signals, snapshot.series, units, config.baskets),
    // The editor's lint beside the style checks: one list of what an editor would strike.
    style: [...findStyleProblems(commentary, analysis, names), ...lintEdition(commentary).map((f) => `${f.rule}: ${f.text}`)],
  };
}
