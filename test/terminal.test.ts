/**
 * The CLI at a real terminal: stdout and stderr are a pseudo-terminal, so the progress bar is drawn,
 * as it is for every person who types the README's first command (every other test pipes them).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/context.js';
import { cliDirs, cliEnv, runCli } from './helpers/cli.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { runInTerminal } from './helpers/terminal.js';

const STACK_FRAME = /^\s+at .+[(:]\d+/m;

function inTerminal(args: string[], env: Record<string, string>) {
  return runInTerminal(process.execPath, [join(PROJECT_ROOT, 'bin/marketwrap.js'), ...args], {
    cwd: PROJECT_ROOT,
    env: cliEnv(env),
    // Under the test's own time-out, so a hang fails with what the terminal showed.
    timeout: 25_000,
  });
}

describe('marketwrap at a terminal', () => {
  for (const extra of [[], ['--dry-run'], ['--data', 'demo:risk-off']]) {
    it(`digest ${extra.join(' ')} writes the edition and exits 0, with no stack trace on screen`, async () => {
      const { env, dir } = cliDirs();
      const run = await inTerminal(['digest', '--as-of', '2026-11-20', ...extra], env);
      expect(run.screen).not.toMatch(STACK_FRAME);
      expect(run.screen).not.toMatch(/could not be cloned|Error:/);
      expect(run.status, run.screen).toBe(0);
      expect(run.elapsed).toBeLessThan(30_000);
      expect(run.screen).toMatch(/Edition 2026-W47 \(week ending 2026-11-20\)/);
      expect(readdirSync(join(dir, 'data/editions'))).toContain('2026-W47.mail.html');
      if (!extra.includes('--dry-run')) expect(readdirSync(join(dir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    });
  }

  it('a list send over SMTP draws the progress bar to the last message', async () => {
    const sink = await startSmtpSink();
    try {
      const { env, dir } = cliDirs();
      const list = join(dir, 'list.csv');
      const emails = Array.from({ length: 40 }, (_, i) => `reader${i}@example.com`);
      writeFileSync(list, `email\n${emails.join('\n')}\n`);
      expect(runCli(['subscribers', 'import', list], env).status).toBe(0);
      const run = await inTerminal(['digest', '--as-of', '2026-11-20', '--allow-demo-data'], { ...env, SMTP_URL: sink.url });
      expect(run.screen).not.toMatch(STACK_FRAME);
      expect(run.status, run.screen).toBe(0);
      // Redrawn in place (carriage returns), ending full.
      expect(run.screen).toMatch(/\r\[#{30}\] 40\/40 /);
      expect(run.screen).toMatch(/40 sent, 0 failed/);
      expect(new Set(sink.received.flatMap((m) => m.envelopeTo))).toEqual(new Set(emails));
    } finally {
      await sink.close();
    }
  });
});
