/**
 * The code's shape, checked: no function outside the tests runs past 80 lines (a screen and a bit),
 * measured from the TypeScript syntax tree of every file under src/ and jobs/.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/paths.js';
import { typeScriptSources } from './helpers/sources.js';

const MAX_LINES = 80;

function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = (node as ts.FunctionDeclaration).name?.getText(source) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)');
      if (end - start + 1 > MAX_LINES) found.push(`${relative(PROJECT_ROOT, file)}:${start + 1} ${name} (${end - start + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('structure', () => {
  it(`no function in src/ or jobs/ is longer than ${MAX_LINES} lines`, () => {
    const files = [...typeScriptSources(join(PROJECT_ROOT, 'src')), ...typeScriptSources(join(PROJECT_ROOT, 'jobs'))];
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(longFunctions)).toEqual([]);
  });
});

describe('what the sender loads', () => {
  // The edition is built in a child process so that the sending process stays small: the job, the
  // context and the delivery code must not pull in MJML or the chart renderer (CommonJS, so they show
  // in require.cache when loaded).
  it('the weekly job and the digest command load neither MJML nor resvg', async () => {
    const probe = `
      import { createRequire } from 'node:module';
      for (const m of ${JSON.stringify(['jobs/weekly-digest.ts', 'src/cli/digest.ts', 'src/shared/context.ts'].map((f) => join(PROJECT_ROOT, f)))}) await import(m);
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ modules: cache.length, heavy: cache.filter((k) => /node_modules\\/(mjml[^/]*|@resvg)\\//.test(k)).slice(0, 3) }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const loaded = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(loaded.modules).toBeGreaterThan(5);
    expect(loaded.heavy).toEqual([]);
  });
});
