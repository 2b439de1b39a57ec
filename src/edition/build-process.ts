/**
 * The edition, built in a process of its own. MJML, the chart renderer and the market data fetchers
 * take more memory than sending 100,000 messages does; the sender forks this, gets the edition back
 * (structured clone over IPC) and never loads them. The child reads the same environment.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Edition } from './build.js';
import { type BuildOptions, type BuildRequest, buildRequestSchema } from './build-options.js';
import { clockFrom, wallClock } from '../shared/clock.js';
import { EXIT, fail, messageOf, RemoteError, UserError } from '../shared/errors.js';

type Answer = { ok: true; edition: Edition } | { ok: false; message: string; exitCode: number };

/** Buffers arrive as Uint8Arrays: make the chart PNGs Buffers again. */
const revive = (edition: Edition): Edition => ({ ...edition, charts: edition.charts.map((c) => ({ ...c, png: Buffer.from(c.png) })) });

export function buildInChildProcess(options: BuildOptions, clock: () => Date = wallClock): Promise<Edition> {
  // Parsed, not passed: the schema keeps only what a build is asked for, so nothing uncloneable goes.
  const request: BuildRequest = buildRequestSchema.parse({ options, now: clock().toISOString() });
  const child = fork(fileURLToPath(import.meta.url), ['--build-edition'], {
    serialization: 'advanced',
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.once('message', (answer: Answer) => {
      answered = true;
      if (answer.ok) resolve(revive(answer.edition));
      else reject(new RemoteError(answer.message, answer.exitCode));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!answered) reject(fail('BUILD_PROCESS_STOPPED', { how: signal ?? `exit code ${code}` }));
    });
    child.send(request);
  });
}

async function serve(): Promise<void> {
  const request = buildRequestSchema.parse(await new Promise((resolve) => process.once('message', resolve)));
  const [{ createContext }, { buildEdition }] = await Promise.all([import('../shared/context.js'), import('./build.js')]);
  let answer: Answer;
  // The parent's time when it asked, running on: the child's week is the parent's.
  const ctx = createContext({ clock: clockFrom(request.now) });
  try {
    answer = { ok: true, edition: await buildEdition(ctx, request.options) };
  } catch (error) {
    answer =
      error instanceof UserError
        ? { ok: false, message: error.message, exitCode: error.exitCode }
        : { ok: false, message: (error as Error).stack ?? messageOf(error), exitCode: EXIT.failed };
  } finally {
    ctx.close();
  }
  process.send!(answer, () => process.disconnect());
}

if (process.argv[2] === '--build-edition' && process.send) await serve();
