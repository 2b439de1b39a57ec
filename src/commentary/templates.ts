/**
 * Loads the commentary templates: one file per signal kind, blocks marked by a comment line, several
 * phrasings per block: {{!-- title --}} (its section's title), {{!-- headline --}}, {{!-- lede --}}
 * (the fact in one sentence) and {{!-- detail --}} (the context; may render empty).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { SIGNAL_KINDS, type SignalKind } from '../analysis/index.js';
import { registerHelpers } from './helpers.js';
import { handlebarsErrorLine, handlebarsErrorMessage, TemplateError } from './template-error.js';

export { handlebarsErrorLine, handlebarsErrorMessage, TemplateError };
import { loadWeekBehindFrames, type WeekBehindFrames } from './plan/week-behind.js';
import { type Block as RealisedBlock, type FramedKind, loadRealisers, variantOf } from './realise/index.js';
import type { Signal } from '../analysis/index.js';
import { type HelperRoot, pick } from './helpers.js';

export { SIGNAL_KINDS };
const BLOCKS = ['title', 'headline', 'lede', 'detail'] as const;
type Block = (typeof BLOCKS)[number];

export interface KindTemplates {
  file: string;
  title: Handlebars.TemplateDelegate[];
  headline: Handlebars.TemplateDelegate[];
  lede: Handlebars.TemplateDelegate[];
  detail: Handlebars.TemplateDelegate[];
}
/**
 * The signal kinds' templates, or their realisers with their frames (kinds converted to TypeScript),
 * and the week behind's frames (a story kind of its own, in its own file).
 */
export type CommentaryTemplates = Map<SignalKind, KindTemplates | FramedKind> & { weekBehind?: WeekBehindFrames };

/** A block of a signal's text, from its realiser or its template's phrasing of the week. */
export function renderBlock(kind: KindTemplates | FramedKind, signal: Signal, block: RealisedBlock, root: HelperRoot, turn: number): string {
  const key = `${signal.id}:${block}`;
  if ('render' in kind) return kind.render(signal, block, root, variantOf(kind.variants[block], root.week + turn, key));
  return pick(kind[block], root.week + turn, key)({ ...signal, ...root });
}

/** Every phrasing of a block, in order (the preview studio shows them side by side). */
export function everyPhrasing(kind: KindTemplates | FramedKind, signal: Signal, block: RealisedBlock, root: () => HelperRoot): string[] {
  if ('render' in kind) return Array.from({ length: kind.variants[block] }, (_, n) => kind.render(signal, block, root(), n));
  return kind[block].map((template) => template({ ...signal, ...root() }));
}

/** How many headline phrasings compose may try for one that fits a subject line. */
export const headlineCount = (kind: KindTemplates | FramedKind): number => ('render' in kind ? kind.variants.headline : kind.headline.length);

/** A Handlebars instance with our helpers; strict, so a misspelt field is an error, not a blank. */
export function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  registerHelpers(hb);
  return hb;
}

const MARKER = /^\{\{!--\s*(title|headline|lede|detail)\s*--\}\}\s*$/;

export function parseKindTemplate(hb: typeof Handlebars, file: string, source: string): KindTemplates {
  const blocks: Record<Block, Array<{ text: string; line: number }>> = { title: [], headline: [], lede: [], detail: [] };
  let current: { block: Block; lines: string[]; line: number } | undefined;
  // What stands before the first marker (inline partials, comments) is shared by every block.
  const preamble: string[] = [];
  const flush = () => {
    if (current) blocks[current.block].push({ text: current.lines.join('\n').trim(), line: current.line });
  };
  source.split('\n').forEach((text, i) => {
    const marker = MARKER.exec(text);
    if (marker) {
      flush();
      current = { block: marker[1] as Block, lines: [], line: i + 2 };
    } else if (current) current.lines.push(text);
    else preamble.push(text);
  });
  const shared = preamble.join('\n');
  flush();
  const compile = ({ text, line }: { text: string; line: number }) => {
    try {
      hb.parse(shared);
    } catch (error) {
      throw new TemplateError(file, handlebarsErrorLine(error), handlebarsErrorMessage(error));
    }
    try {
      hb.parse(text); // syntax errors now, with a line number, not at send time
    } catch (error) {
      throw new TemplateError(file, line + (handlebarsErrorLine(error) ?? 1) - 1, handlebarsErrorMessage(error));
    }
    // Commentary is plain text; the layout escapes it for HTML once. Strict: a misspelt field throws.
    return hb.compile(`${shared}${text}`, { noEscape: true, strict: true });
  };
  for (const block of BLOCKS) {
    if (blocks[block].length === 0) throw new TemplateError(file, undefined, `needs at least one {{!-- ${block} --}} block`);
    // A detail may say nothing more than the lede; every other block must say something.
    if (block !== 'detail' && blocks[block].some((b) => b.text === '')) throw new TemplateError(file, blocks[block].find((b) => b.text === '')!.line, `an empty ${block} block`);
  }
  return { file, title: blocks.title.map(compile), headline: blocks.headline.map(compile), lede: blocks.lede.map(compile), detail: blocks.detail.map(compile) };
}

export function loadCommentaryTemplates(dir: string, hb = createHandlebars()): CommentaryTemplates {
  const templates: CommentaryTemplates = new Map(loadRealisers(dir));
  for (const kind of SIGNAL_KINDS.filter((k) => !templates.has(k))) {
    const file = join(dir, `${kind}.hbs`);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      throw new TemplateError(file, undefined, `missing: every signal kind (${SIGNAL_KINDS.join(', ')}) needs a template`);
    }
    templates.set(kind, parseKindTemplate(hb, file, source));
  }
  templates.weekBehind = loadWeekBehindFrames(dir);
  return templates;
}
