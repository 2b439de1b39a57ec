import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../src/analysis/index.js';
import { kindOf } from '../../../src/commentary/realise/move.js';
import { phrasings, rootOf } from './fixture.js';

type Move = Extract<Signal, { kind: 'move' }>;
const move = (over: Partial<Move> = {}): Move =>
  ({ kind: 'move', id: 'dgs2-week', magnitude: 1, topic: 'rates', window: '1W', symbol: 'DGS2', unit: 'bp', change: -31, level: 4.42, since: '2023-03-17', ...over }) as Move;

describe('move realiser', () => {
  it('names the kind of move by unit and sign', () => {
    expect(kindOf(move())).toBe('fall');
    expect(kindOf(move({ unit: 'pct', change: 5 }))).toBe('gain');
  });

  it('turns to the landmark in its second headline only when there is one', () => {
    expect(phrasings(move(), 'headline')[1]).toBe("The 2-year yield's biggest weekly fall since March 2023");
    expect(phrasings(move({ since: undefined }), 'headline')[1]).toMatch(/^The 2-year yield \w+ 31 basis points this week$/);
  });

  it('glosses at first mention and tells the figure and the close once', () => {
    const root = rootOf();
    const [first] = phrasings(move(), 'lede', root);
    expect(first).toMatch(
      /^The 2-year yield, the bond market's read of the Fed's path, \w+ 31 basis points this week to 4\.42%, its biggest weekly fall since the week ending March 17, 2023\.$/,
    );
    const [again] = phrasings(move(), 'lede', root);
    expect(again).toMatch(/^The 2-year yield \w+ this week, its biggest weekly fall/);
  });
});
