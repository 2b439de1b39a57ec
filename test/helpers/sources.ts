/** The TypeScript files under a folder, for the tests that read the code itself (structure, stage boundaries). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function typeScriptSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? typeScriptSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}
