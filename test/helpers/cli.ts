import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { FIXED_NOW, OFFLINE_ENV, tempDir, testDatabaseEnv } from './context.js';

/** A fresh folder and the environment that puts the CLI's data, outbox and config file in it. */
export function cliDirs() {
  const dir = tempDir();
  return { dir, env: { DATA_DIR: join(dir, 'data'), ...testDatabaseEnv(), OUTBOX_DIR: join(dir, 'outbox'), CONFIG_FILE: join(dir, 'marketwrap.config.json') } };
}

/**
 * What every CLI run in a test starts from: no network, demo data, quiet logs, and the clock pinned to
 * FIXED_NOW (the CLI reads MARKETWRAP_NOW), so no run depends on the day the suite runs. `env` wins.
 */
export function cliEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    LOG_LEVEL: 'silent',
    ...OFFLINE_ENV,
    MARKET_DATA: 'demo',
    MARKETWRAP_NOW: FIXED_NOW.toISOString(),
    ...env,
  };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would, through the published bin. */
export function runCli(args: string[], env: Record<string, string>, cwd = PROJECT_ROOT): CliRun {
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/marketwrap.js'), ...args], {
    cwd,
    env: cliEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A CLI process left running: its output so far, a way to signal it, and its end. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  done: Promise<CliRun>;
}

export function startCli(args: string[], env: Record<string, string>, cwd = PROJECT_ROOT): RunningCli {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin/marketwrap.js'), ...args], {
    cwd,
    env: cliEnv(env),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })));
  return { child, stdout: () => stdout, done };
}

/** The same, without blocking this process: needed when the CLI talks to a server living in the test. */
export function runCliAsync(args: string[], env: Record<string, string>, cwd = PROJECT_ROOT): Promise<CliRun> {
  return startCli(args, env, cwd).done;
}
