/** A small edition for the realisers' unit tests: names, a week, an empty ledger. */
import { join } from 'node:path';
import type { Signal } from '../../../src/analysis/index.js';
import type { HelperRoot } from '../../../src/commentary/helpers.js';
import { type Block, loadRealisers } from '../../../src/commentary/realise/index.js';
import { PROJECT_ROOT } from '../../../src/shared/context.js';

export const realisers = loadRealisers(join(PROJECT_ROOT, 'templates/commentary'));

export function rootOf(over: Partial<HelperRoot> = {}): HelperRoot {
  return {
    names: {
      '^GSPC': { shortName: 'S&P 500', article: true, theme: 'large caps' },
      '^RUT': { shortName: 'Russell 2000', article: true, theme: 'small caps' },
      '^NDX': { shortName: 'Nasdaq-100', article: true, theme: 'big tech' },
      '^DJI': { shortName: 'Dow', article: true, theme: 'blue chips' },
      '^VIX': { shortName: 'VIX', article: true },
      DGS2: { shortName: '2-year yield', article: true, gloss: "the bond market's read of the Fed's path" },
      DGS10: { shortName: '10-year yield', article: true },
      XLK: { shortName: 'Technology', article: false },
      XLE: { shortName: 'Energy', article: false },
      XLU: { shortName: 'Utilities', article: false },
    },
    locale: 'en-US',
    week: 0,
    asOf: '2024-03-08',
    weekStart: '2024-03-01',
    sessions: 5,
    usual: {},
    bases: {},
    stated: new Set(),
    tellOnce: true,
    headlineTold: false,
    ...over,
  };
}

/** Every phrasing of a block, each on a fresh ledger unless one is given. */
export function phrasings(signal: Signal, block: Block, root?: HelperRoot): string[] {
  const kind = realisers.get(signal.kind)!;
  return Array.from({ length: kind.variants[block] }, (_, n) =>
    kind
      .render(signal, block, root ?? rootOf(), n)
      .replace(/\s+/g, ' ')
      .replace(/\s+([.,;:])/g, '$1')
      .trim(),
  );
}
