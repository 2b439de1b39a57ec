/** `marketwrap <command>`: thin, for people (and --json for scripts); the stages do the work. */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { Command, CommanderError } from 'commander';
import { registerBacktest } from './backtest.js';
import { registerConfig } from './config.js';
import { registerData } from './data.js';
import { registerDigest } from './digest.js';
import { registerEditions } from './editions.js';
import { registerServe } from './serve.js';
import { registerStats } from './stats.js';
import { registerSubscribers } from './subscribers.js';
import { registerWorker } from './worker.js';
import { EXIT, fail, messageOf, UserError } from '../shared/errors.js';

export function program(): Command {
  const cli = new Command('marketwrap').description('Writes and sends a weekly market-commentary email.').exitOverride();
  for (const register of [registerDigest, registerEditions, registerStats, registerSubscribers, registerData, registerServe, registerWorker, registerBacktest, registerConfig])
    register(cli);
  return cli;
}

/** `.env` in the working folder, when there is one; a variable already set (the deploy's own environment) wins. */
function loadDotEnv(file = '.env'): void {
  if (!existsSync(file)) return;
  try {
    // Read here rather than by process.loadEnvFile: a byte-order mark (Windows editors) would hide the first variable.
    const variables = parseEnv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    for (const [name, value] of Object.entries(variables)) process.env[name] ??= value;
  } catch (error) {
    throw fail('DOTENV_UNREADABLE', { file, reason: messageOf(error) });
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    loadDotEnv();
    await program().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.input;
    if (error instanceof UserError) {
      console.error(`marketwrap: ${error.message}`);
      return error.exitCode;
    }
    console.error(`marketwrap: ${(error as Error).stack ?? error}`);
    return EXIT.failed;
  }
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly || process.env['MARKETWRAP_BIN'] === '1') {
  process.exitCode = await main(process.argv.slice(2));
}
