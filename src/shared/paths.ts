/**
 * Where the project's own files are (templates, migrations, the studio page), whether the code runs
 * as TypeScript from src/ (tests, tsx) or compiled from dist/ (the CLI): one root for both.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
  }
  throw new Error(`marketwrap: cannot find the project folder (package.json and templates/) above ${from}`);
}

export const PROJECT_ROOT = findRoot(resolve(fileURLToPath(import.meta.url), '..'));

/** A file that ships beside the sources (SQL migrations, the studio page): always read from src/. */
export const sourcePath = (...parts: string[]) => join(PROJECT_ROOT, 'src', ...parts);
