/**
 * The road runs one way: market -> analysis -> commentary -> render -> delivery. A module of one stage
 * never loads a later stage's, directly or through a shared module (config, formatting), computed from
 * the real import graph: every import and export that survives compilation (not `import type`), and
 * every `import()` an action makes when it runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/paths.js';
import { typeScriptSources } from './helpers/sources.js';

const STAGES = ['market', 'analysis', 'commentary', 'render', 'delivery'] as const;
const SRC = join(PROJECT_ROOT, 'src');

/** The project files a file loads when it runs. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) specifiers.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((f) => existsSync(f));
}

const stageOf = (file: string): number => STAGES.indexOf(relative(SRC, file).split('/')[0] as (typeof STAGES)[number]);

/** The first chain of imports from `file` to a module of a later stage than its own, if there is one. */
function leak(file: string, graph: Map<string, string[]>): string[] | undefined {
  const own = stageOf(file);
  const cameFrom = new Map<string, string>([[file, '']]);
  const queue = [file];
  while (queue.length) {
    const at = queue.shift()!;
    for (const next of graph.get(at) ?? []) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, at);
      if (stageOf(next) > own) {
        const chain = [next];
        for (let step = at; step; step = cameFrom.get(step)!) chain.unshift(step);
        return chain.map((f) => relative(PROJECT_ROOT, f));
      }
      queue.push(next);
    }
  }
  return undefined;
}

describe('stage boundaries', () => {
  const files = typeScriptSources(SRC);
  const graph = new Map(files.map((f) => [f, runtimeImports(f)]));

  it('reads the import graph (a check that finds nothing because it reads nothing would pass)', () => {
    expect(graph.get(join(SRC, 'render/layout.ts'))).toContain(join(SRC, 'templating/handlebars.ts'));
    expect(graph.get(join(SRC, 'market/types.ts'))).toContain(join(SRC, 'config/primitives.ts'));
    // A type-only import is erased; an import the module makes when it runs is not.
    expect(graph.get(join(SRC, 'market/live.ts'))).not.toContain(join(SRC, 'config/newsletter.ts'));
    expect(graph.get(join(SRC, 'cli/digest.ts'))?.length).toBeGreaterThan(2);
    expect(leak(join(SRC, 'market/types.ts'), new Map([...graph, [join(SRC, 'market/types.ts'), [join(SRC, 'config/newsletter.ts')]]]))).toEqual([
      'src/market/types.ts',
      'src/config/newsletter.ts',
      expect.stringMatching(/^src\/analysis\//),
    ]);
  });

  it('no module imports a later stage, directly or through a shared module', () => {
    const leaks = files
      .filter((f) => stageOf(f) >= 0)
      .flatMap((f) => {
        const chain = leak(f, graph);
        return chain ? [chain.join(' -> ')] : [];
      });
    expect(leaks).toEqual([]);
  });
});
