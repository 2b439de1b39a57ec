/**
 * Frames: the words of a story, with typed slots and nothing else. A frames file (.hbs) holds named
 * frames, each marked by a comment line `{{!-- name --}}` and given one or more phrasings; what to say
 * and which frame says it is decided in TypeScript (the realisers), which fill each frame's slots with
 * finished words ("rose 1.2%", "the S&P 500"). A spec names every frame and the slots it takes, so a
 * realiser can only ask for frames that exist and must pass their slots; the file is checked against it
 * at load (a missing frame, an unknown frame, a slot the spec does not name, any block helper or
 * helper call: a TemplateError naming the file and the frame).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { pick } from './helpers.js';
import { handlebarsErrorLine, handlebarsErrorMessage, TemplateError } from '../templating/handlebars.js';

/** Every frame's name and the slots it takes: `{ 'headline.beat': ['Leader', 'laggard', 'gap'] }`. */
export type FrameSpec = Readonly<Record<string, readonly string[]>>;
/** The slot values a frame needs, each a finished string. */
export type SlotsOf<S extends FrameSpec, N extends keyof S> = Record<S[N][number], string>;

export interface Frames<S extends FrameSpec> {
  file: string;
  phrasings: { [N in keyof S]: Handlebars.TemplateDelegate[] };
}

/** Frames compile on an instance of their own: no helper may shadow a slot ("{{moved}}", "{{date}}"). */
const BARE = Handlebars.create();

const MARKER = /^\{\{!--\s*([a-z][a-z0-9.-]*)\s*--\}\}\s*$/;

type Program = ReturnType<typeof Handlebars.parse>;
interface Node {
  type: string;
  loc: { start: { line: number } };
  path?: { type: string; parts?: string[] };
  params?: unknown[];
  hash?: { pairs: unknown[] };
}

/** The slots a phrasing reads; anything but a bare `{{slot}}` (a block, a helper call, a partial) is logic and is refused. */
function slotsRead(program: Program, fail: (line: number, what: string) => never): string[] {
  const read: string[] = [];
  for (const node of program.body as unknown as Node[]) {
    if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
    const path = node.path;
    if (node.type !== 'MustacheStatement' || (node.params?.length ?? 0) > 0 || (node.hash?.pairs.length ?? 0) > 0 || path?.type !== 'PathExpression' || path.parts?.length !== 1) {
      fail(node.loc.start.line, 'frames hold words and {{slot}}s only: choices belong in the realiser');
    }
    read.push(path.parts[0]!);
  }
  return read;
}

/** Each frame's phrasings, compiled strict (a slot left unfilled throws), checked against the spec. */
export function parseFrames<S extends FrameSpec>(file: string, source: string, spec: S): Frames<S> {
  const found = new Map<string, Array<{ lines: string[]; line: number }>>();
  let current: string[] | undefined;
  source.split('\n').forEach((line, i) => {
    const name = MARKER.exec(line)?.[1];
    if (name === undefined) {
      current?.push(line);
      return;
    }
    if (!(name in spec)) throw new TemplateError(file, i + 1, `unknown frame "${name}" (the frames are ${Object.keys(spec).join(', ')})`);
    current = [];
    found.set(name, [...(found.get(name) ?? []), { lines: current, line: i + 2 }]);
  });
  const phrasings = {} as Frames<S>['phrasings'];
  for (const name of Object.keys(spec) as Array<keyof S & string>) {
    const texts = (found.get(name) ?? []).map(({ lines, line }) => ({ text: lines.join(' ').trim(), line })).filter((p) => p.text !== '');
    if (texts.length === 0) throw new TemplateError(file, undefined, `needs at least one {{!-- ${name} --}} frame`);
    phrasings[name] = texts.map(({ text, line }) => {
      const fail = (at: number, what: string): never => {
        throw new TemplateError(file, line + at - 1, `frame "${name}": ${what}`);
      };
      let program: Program;
      try {
        program = BARE.parse(text);
      } catch (error) {
        throw new TemplateError(file, line + (handlebarsErrorLine(error) ?? 1) - 1, `frame "${name}": ${handlebarsErrorMessage(error)}`);
      }
      const unknown = slotsRead(program, fail).filter((slot) => !spec[name]!.includes(slot));
      if (unknown.length) fail(1, `no slot named ${unknown.join(', ')} (it takes ${spec[name]!.join(', ') || 'none'})`);
      return BARE.compile(text, { noEscape: true, strict: true });
    });
  }
  return { file, phrasings };
}

/** A kind's frames from `<dir>/<name>.hbs`. */
export function loadFrames<S extends FrameSpec>(dir: string, name: string, spec: S): Frames<S> {
  const file = join(dir, `${name}.hbs`);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new TemplateError(file, undefined, `missing: ${name} needs its frames`);
  }
  return parseFrames(file, source, spec);
}

/** How many phrasings a frame has (a realiser turns among them with the week). */
export const phrasingCount = <S extends FrameSpec>(frames: Frames<S>, name: keyof S & string): number => frames.phrasings[name].length;

/** One phrasing of a frame, turned by the week and a key, its slots filled. */
export function say<S extends FrameSpec, N extends keyof S & string>(frames: Frames<S>, name: N, turn: number, key: string, slots: SlotsOf<S, N>): string {
  return pick(frames.phrasings[name], turn, key)(slots);
}

/** The n-th phrasing of a frame (when the realiser has already chosen which, for a block as a whole). */
export function sayNth<S extends FrameSpec, N extends keyof S & string>(frames: Frames<S>, name: N, n: number, slots: SlotsOf<S, N>): string {
  const list = frames.phrasings[name];
  return list[n % list.length]!(slots);
}
