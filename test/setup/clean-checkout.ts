/**
 * Vitest global setup: the suite writes only under temporary folders. Every file and folder in the
 * checkout is listed before the run; one that appears during it (an outbox, a database, an edition)
 * fails the run with its path. What `npm test` makes on purpose (dist/ by compile, coverage/) is left out.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../src/shared/paths.js';

const MADE_BY_NPM_TEST = new Set(['node_modules', '.git', 'dist', 'coverage']);

function entries(dir = PROJECT_ROOT, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (dir === PROJECT_ROOT && MADE_BY_NPM_TEST.has(entry.name)) continue;
    const path = join(dir, entry.name);
    found.add(relative(PROJECT_ROOT, path));
    if (entry.isDirectory()) entries(path, found);
  }
  return found;
}

export default function setup(): () => void {
  const before = entries();
  return () => {
    const written = [...entries()].filter((path) => !before.has(path));
    if (!written.length) return;
    // Vitest reports an error thrown here but still exits 0: set the exit code as well.
    process.exitCode = 1;
    throw new Error(`the tests wrote into the checkout (write under a temporary folder instead; or a file made by hand while the suite ran): ${written.slice(0, 10).join(', ')}`);
  };
}
