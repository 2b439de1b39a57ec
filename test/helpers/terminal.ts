/**
 * A command run as a person runs it: inside a pseudo-terminal (util-linux `script`), so stdout and
 * stderr are TTYs and whatever the CLI draws only for a terminal (the progress bar) is drawn.
 */
import { spawn } from 'node:child_process';

export interface TerminalRun {
  status: number | null;
  /** Everything the terminal showed, stdout and stderr together, as the person saw it. */
  screen: string;
  /** Milliseconds from start to exit. */
  elapsed: number;
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** Runs `command args...` in a pseudo-terminal of `columns` columns; kills it after `timeout` ms. */
export function runInTerminal(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeout: number }): Promise<TerminalRun> {
  const started = Date.now();
  // -q: no banner; -e: the command's exit code; -f: flush as it comes; the typescript file is discarded.
  const child = spawn('script', ['-qefc', [command, ...args].map(shellQuote).join(' '), '/dev/null'], {
    cwd: options.cwd,
    env: { TERM: 'xterm-256color', COLUMNS: '100', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
  child.stderr.on('data', (c: Buffer) => (screen += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout);
  return new Promise((resolve) => {
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, screen, elapsed: Date.now() - started });
    });
  });
}
