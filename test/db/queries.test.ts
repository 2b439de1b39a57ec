/**
 * The named SQL queries: each database's query files define exactly the names its code asks for (a
 * missing or unused one stops the open, before any work), and the code uses every name it declares.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POSTGRES_QUERY_NAMES, QUERIES_DIR as POSTGRES_DIR } from '../../src/db/postgres/queries.js';
import { loadQueries, parseQueries } from '../../src/db/queries.js';
import { SQLITE_QUERY_NAMES, QUERIES_DIR as SQLITE_DIR } from '../../src/db/sqlite/queries.js';
import { sourcePath } from '../../src/shared/paths.js';
import { tempDir } from '../helpers/context.js';

const databases = [
  { name: 'sqlite', dir: SQLITE_DIR, names: SQLITE_QUERY_NAMES },
  { name: 'postgres', dir: POSTGRES_DIR, names: POSTGRES_QUERY_NAMES },
];

describe.each(databases)('the $name queries', ({ name, dir, names }) => {
  it('every name the code declares is in the files, and every query in the files is declared', () => {
    const queries = loadQueries(dir, names);
    expect(Object.keys(queries).sort()).toEqual([...names].sort());
    for (const query of Object.values(queries)) expect(query).not.toMatch(/;\s*$|^\s*--/);
  });

  it('the code uses every name it declares', () => {
    const code = readdirSync(sourcePath('db', name))
      .filter((f) => f.endsWith('.ts') && f !== 'queries.ts')
      .map((f) => readFileSync(sourcePath('db', name, f), 'utf8'))
      .join('\n');
    expect(names.filter((n) => !new RegExp(`\\b(sql|queries)\\.${n}\\b`).test(code))).toEqual([]);
  });
});

describe('loading query files', () => {
  const folder = (files: Record<string, string>) => {
    const dir = tempDir();
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  };

  it('a name the code asks for that no file defines stops the load, and says which', () => {
    const dir = folder({ 'a.sql': '-- name: one\nSELECT 1;\n' });
    expect(() => loadQueries(dir, ['one', 'two'])).toThrow(/no query named two/);
  });

  it('a query no code asks for stops the load, and says which', () => {
    const dir = folder({ 'a.sql': '-- name: one\nSELECT 1;\n', 'b.sql': '-- name: stale\nSELECT 2;\n' });
    expect(() => loadQueries(dir, ['one'])).toThrow(/queries never used: stale/);
  });

  it('a name given twice, in one file or two, stops the load', () => {
    expect(() => loadQueries(folder({ 'a.sql': '-- name: one\nSELECT 1;\n-- name: one\nSELECT 2;\n' }), ['one'])).toThrow(/named twice/);
    expect(() => loadQueries(folder({ 'a.sql': '-- name: one\nSELECT 1;\n', 'b.sql': '-- name: one\nSELECT 2;\n' }), ['one'])).toThrow(/in both a.sql and b.sql/);
  });

  it('SQL outside a named block, or a block without SQL, stops the load', () => {
    expect(() => parseQueries('SELECT 0;\n-- name: one\nSELECT 1;\n', 'a.sql')).toThrow(/before the first/);
    expect(() => parseQueries('-- name: one\n-- only a comment\n-- name: two\nSELECT 2;\n', 'a.sql')).toThrow(/"one" has no SQL/);
  });

  it('a block is its SQL: the comments above the next name and the closing semicolon are not sent', () => {
    const parsed = parseQueries('-- the file\n\n-- name: one\nSELECT 1\nFROM t;\n\n-- about two\n-- name: two\nSELECT 2;\n', 'a.sql');
    expect(Object.fromEntries(parsed)).toEqual({ one: 'SELECT 1\nFROM t', two: 'SELECT 2' });
  });
});
