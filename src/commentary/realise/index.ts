/**
 * Realisers: one pure function per signal kind, (signal, block, the edition's discourse) -> text. Every
 * choice is made here in TypeScript (which frame, which phrasing, what each slot says, whether a fact is
 * told again); the kind's .hbs holds only the words. A block keeps its role for compose.ts: the section
 * title, the headline, the lede (the fact in one sentence) and the detail (context; may be empty).
 */
import type { Signal, SignalKind } from '../../analysis/index.js';
import { fnv1a } from '../../shared/hash.js';
import { type FrameSpec, type Frames, loadFrames } from '../frames.js';
import type { HelperRoot } from '../helpers.js';
import { biggestDay } from './biggest-day.js';
import { curve } from './curve.js';
import { leaders } from './leaders.js';
import { level } from './level.js';
import { market } from './market.js';
import { move } from './move.js';
import { record } from './record.js';
import { regime } from './regime.js';
import { relative } from './relative.js';

export type Block = 'title' | 'headline' | 'lede' | 'detail';
export type Of<K extends SignalKind> = Extract<Signal, { kind: K }>;

export interface RealiseContext<S extends FrameSpec> {
  frames: Frames<S>;
  /** The edition's discourse: names, locale, the week, and the ledger of what is told. */
  root: HelperRoot;
  /** The block's phrasing, turned by the week (and by compose when it tries headlines for length). */
  variant: number;
}

export interface Realiser<K extends SignalKind, S extends FrameSpec> {
  spec: S;
  /** Phrasings per block: compose turns among them, and tries each headline for a subject line. */
  variants: Record<Block, number>;
  realise(signal: Of<K>, block: Block, ctx: RealiseContext<S>): string;
}

/** A kind realised in TypeScript, its frames loaded: what compose.ts asks for a block. */
export interface FramedKind {
  file: string;
  variants: Record<Block, number>;
  /** The block in its n-th phrasing. */
  render(signal: Signal, block: Block, root: HelperRoot, variant: number): string;
}

/** The phrasing a block takes this week: the same turn as a template's block of as many phrasings. */
export const variantOf = (count: number, week: number, key: string): number => (week + fnv1a(key)) % count;

/** Every signal kind, realised in TypeScript (frames.test.ts checks none is left a Handlebars template). */
export const REALISERS: { [K in SignalKind]: Realiser<K, FrameSpec> } = { relative, regime, record, level, move, curve, leaders, 'biggest-day': biggestDay, market };

function framed<K extends SignalKind>(kind: K, realiser: Realiser<K, FrameSpec>, dir: string): FramedKind {
  const frames = loadFrames(dir, kind, realiser.spec);
  return { file: frames.file, variants: realiser.variants, render: (signal, block, root, variant) => realiser.realise(signal as Of<K>, block, { frames, root, variant }) };
}

/** The realised kinds with their frames, checked at load. */
export function loadRealisers(dir: string): Map<SignalKind, FramedKind> {
  const loaded = new Map<SignalKind, FramedKind>();
  for (const kind of Object.keys(REALISERS) as SignalKind[]) loaded.set(kind, framed(kind, REALISERS[kind] as Realiser<SignalKind, FrameSpec>, dir));
  return loaded;
}
