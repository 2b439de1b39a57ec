/**
 * Loads the commentary's words: for each signal kind its realiser's frames (templates/commentary/<kind>.hbs,
 * named frames with typed slots, checked at load), and the week behind's frames. Every choice of what to
 * say is the realisers' (src/commentary/realise/); the files hold only words.
 */
import Handlebars from 'handlebars';
import { SIGNAL_KINDS, type SignalKind } from '../analysis/index.js';
import type { Signal } from '../analysis/index.js';
import type { HelperRoot } from './helpers.js';
import { loadWeekBehindFrames, type WeekBehindFrames } from './plan/week-behind.js';
import { type Block as RealisedBlock, type FramedKind, loadRealisers, variantOf } from './realise/index.js';
import { handlebarsErrorLine, handlebarsErrorMessage, TemplateError } from './template-error.js';

export { handlebarsErrorLine, handlebarsErrorMessage, TemplateError };
export { SIGNAL_KINDS };

/** Each signal kind's realiser with its frames, and the week behind's frames (a story kind of its own, in its own file). */
export type CommentaryTemplates = Map<SignalKind, FramedKind> & { weekBehind?: WeekBehindFrames };

/** A block of a signal's text, in its realiser's phrasing of the week. */
export function renderBlock(kind: FramedKind, signal: Signal, block: RealisedBlock, root: HelperRoot, turn: number): string {
  return kind.render(signal, block, root, variantOf(kind.variants[block], root.week + turn, `${signal.id}:${block}`));
}

/** Every phrasing of a block, in order (the preview studio shows them side by side). */
export function everyPhrasing(kind: FramedKind, signal: Signal, block: RealisedBlock, root: () => HelperRoot): string[] {
  return Array.from({ length: kind.variants[block] }, (_, n) => kind.render(signal, block, root(), n));
}

/** How many headline phrasings compose may try for one that fits a subject line. */
export const headlineCount = (kind: FramedKind): number => kind.variants.headline;

/** A Handlebars instance of its own for the email layout (the layout and its partials register on it, apart from every other). */
export function createHandlebars(): typeof Handlebars {
  return Handlebars.create();
}

export function loadCommentaryTemplates(dir: string): CommentaryTemplates {
  const templates: CommentaryTemplates = loadRealisers(dir);
  templates.weekBehind = loadWeekBehindFrames(dir);
  return templates;
}
