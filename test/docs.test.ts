/**
 * The manual stays true to the CLI: every `marketwrap <command>` shown in README.md or docs/, in a code
 * block or inline, still exists (`marketwrap <command> [sub] --help` succeeds and names that command),
 * and every option shown beside it is one the command takes. Run against the compiled CLI, as shipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/paths.js';
import { runCli } from './helpers/cli.js';

const pages = ['README.md', ...readdirSync(join(PROJECT_ROOT, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : []))];

/** Every command line the pages show: fenced blocks line by line (continuations joined), and inline code. */
function commandLines(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1]!.replace(/\s*\\\n\s*/g, ' ').split('\n'));
  const inline = [...markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
  return [...fenced, ...inline].flatMap((line) => [...line.matchAll(/\bmarketwrap ([a-z][a-z-]*)((?: [^\s#]+)*)/g)].map((m) => `${m[1]}${m[2]}`.trim()));
}

interface Shown {
  words: string[];
  options: Set<string>;
  where: Set<string>;
}

function shownCommands(): Map<string, Shown> {
  const shown = new Map<string, Shown>();
  for (const page of pages) {
    for (const line of commandLines(readFileSync(join(PROJECT_ROOT, page), 'utf8'))) {
      const words = line.split(' ');
      // A command and, when the next word could be one, its subcommand (checked against the help below).
      const path = /^[a-z][a-z-]*$/.test(words[1] ?? '') ? words.slice(0, 2) : words.slice(0, 1);
      const key = path.join(' ');
      const entry = shown.get(key) ?? { words: path, options: new Set(), where: new Set() };
      for (const option of line.matchAll(/(?:^|[\s[(|])(--[a-z][a-z-]*)/g)) entry.options.add(option[1]!);
      entry.where.add(page);
      shown.set(key, entry);
    }
  }
  return shown;
}

const help = new Map<string, ReturnType<typeof runCli>>();
const helpFor = (words: string[]) => {
  const key = words.join(' ');
  if (!help.has(key)) help.set(key, runCli([...words, '--help'], {}));
  return help.get(key)!;
};

/** The subcommands a group's help lists (none for a command that is not a group). */
const subcommandsOf = (text: string): string[] => [...(text.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!);

describe('the manual', () => {
  it('reads command lines from code blocks and inline code, across line breaks and continuations', () => {
    expect(commandLines('Run `marketwrap subscribers\nbounces` daily.\n```sh\nnpx marketwrap backtest \\\n  --from 2024-01-01 --no-render # note\n```\n')).toEqual([
      'backtest --from 2024-01-01 --no-render',
      'subscribers bounces',
    ]);
  });

  it('shows only commands and options the compiled CLI has', () => {
    const shown = shownCommands();
    expect(shown.size).toBeGreaterThan(15);
    const stale: string[] = [];
    for (const { words, options, where } of shown.values()) {
      const group = helpFor(words.slice(0, 1));
      const subs = subcommandsOf(group.stdout);
      // A word after a command that takes no subcommand is its argument: the command alone is checked.
      const path = subs.length > 0 ? words : words.slice(0, 1);
      const run = helpFor(path);
      const usage = run.stdout.split('\n')[0] ?? '';
      if (run.status !== 0 || !usage.startsWith(`Usage: marketwrap ${path.join(' ')}`)) {
        stale.push(`${[...where].join(', ')}: marketwrap ${path.join(' ')} (${run.stderr.trim() || usage})`);
        continue;
      }
      for (const option of options) if (!new RegExp(`(^|[\\s,])${option}\\b`, 'm').test(run.stdout)) stale.push(`${[...where].join(', ')}: marketwrap ${path.join(' ')} ${option}`);
    }
    expect(stale).toEqual([]);
  });
});
