/**
 * The code's shape, checked: no function outside the tests runs past 80 lines (a screen and a bit),
 * measured from the TypeScript syntax tree of every file under src/ and jobs/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/paths.js';

const MAX_LINES = 80;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

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
    const files = [...sources(join(PROJECT_ROOT, 'src')), ...sources(join(PROJECT_ROOT, 'jobs'))];
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(longFunctions)).toEqual([]);
  });
});
