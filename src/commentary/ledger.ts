/**
 * What an edition has told, as typed facts: a figure is one instrument's change over one window, a
 * close is its week's last level. Realisers ask the ledger before they state a fact and record it when
 * they do. A fact is stored under a key of its own (keyOf): the calibrated verb (helpers.ts, movedText)
 * and the aside record figures and glosses under the same keys, so a realiser's words and its own
 * checks read one ledger.
 */
import type { Window } from '../config/primitives.js';
import { figureKey, type HelperRoot } from './helpers.js';

export type Fact =
  /** One instrument's change over a window (the month and the year to date from one base are one figure). */
  | { kind: 'move'; symbol: string; window: Window }
  /** The instrument's close at the week's end. */
  | { kind: 'close'; symbol: string }
  /** Its aside at first mention ("the bond market's read of the Fed's path"). */
  | { kind: 'gloss'; symbol: string }
  /** That it is in a bear market or a correction. */
  | { kind: 'regime'; symbol: string }
  /** A pair's gap over a longer window. */
  | { kind: 'longer'; pair: string; window: Window };

type Ledger = Pick<HelperRoot, 'stated' | 'tellOnce' | 'bases'>;

function keyOf(ledger: Ledger, fact: Fact): string {
  switch (fact.kind) {
    case 'move':
      return figureKey(ledger, fact.symbol, fact.window);
    case 'longer':
      return `longer:${fact.pair}:${fact.window}`;
    default:
      return `${fact.kind}:${fact.symbol}`;
  }
}

export const wasTold = (ledger: Ledger, fact: Fact): boolean => ledger.stated.has(keyOf(ledger, fact));

/** True the first time a fact is told in this scope (recorded then, where the scope tells each fact once). */
export function tellFirst(ledger: Ledger, fact: Fact): boolean {
  const key = keyOf(ledger, fact);
  if (ledger.stated.has(key)) return false;
  if (ledger.tellOnce) ledger.stated.add(key);
  return true;
}
