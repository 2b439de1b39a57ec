/**
 * The README's first command on a fresh clone: only committed files, no config, no network, no
 * subscribers. Dependencies are linked from this checkout (installing them is what .ci/run proves).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/context.js';
import { OFFLINE_ENV, tempDir } from './helpers/context.js';
import { runInTerminal } from './helpers/terminal.js';

const isGitCheckout = existsSync(join(PROJECT_ROOT, '.git'));

describe('fresh clone', () => {
  it('the README shows the two commands', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install && npm run digest');
    expect(readme).toContain('npm test');
  });

  // Skipped outside a git checkout (a tarball of the sources): there is nothing to clone.
  it.skipIf(!isGitCheckout)(
    'npm run digest at a terminal writes a complete edition and an .eml to the outbox',
    async () => {
      const clone = join(tempDir(), 'marketwrap');
      execFileSync('git', ['clone', '--quiet', '--no-hardlinks', PROJECT_ROOT, clone]);
      symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
      // What `npm install` does after fetching packages: its prepare script compiles the CLI.
      execFileSync('npm', ['run', '--silent', 'prepare'], { cwd: clone, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' } });
      // As a person types it, at a terminal (the progress bar is drawn), on whatever day the suite runs.
      const run = await runInTerminal('npm', ['run', '--silent', 'digest'], {
        cwd: clone,
        // No configuration at all; the providers point at a closed loopback port, as a machine without
        // network sees them, so the default MARKET_DATA=auto falls back to demo data.
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...OFFLINE_ENV },
        timeout: 100_000,
      });
      expect(run.screen).not.toMatch(/^\s+at .+[(:]\d+/m);
      expect(run.status, run.screen).toBe(0);
      expect(run.screen).toMatch(/Edition \d{4}-W\d{2} .*DEMO DATA/);
      expect(run.screen).toMatch(/no market data provider could be reached .*: this edition uses demo data/);
      const editions = readdirSync(join(clone, 'data/editions'));
      // The email and its text, the reader's copies of both, the numbers.
      expect(
        editions
          .filter((f) => /\.(html|txt|json)$/.test(f))
          .map((f) => f.replace(/^[\w-]+?(?=\.)/, '<id>'))
          .sort(),
      ).toEqual(['<id>.html', '<id>.json', '<id>.mail.html', '<id>.mail.txt', '<id>.txt']);
      const eml = readdirSync(join(clone, 'outbox'));
      expect(eml).toHaveLength(1);
      expect(readFileSync(join(clone, 'outbox', eml[0]!), 'utf8')).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    },
    120_000,
  );
});
