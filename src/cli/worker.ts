/** `worker`: a sender process that shares the ledger of every edition in progress with the others. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EXIT } from '../errors.js';
import { openContext } from './shared.js';

interface WorkerFlags {
  once?: boolean;
  poll: number;
  json?: boolean;
}

async function worker(flags: WorkerFlags): Promise<void> {
  const { runWorker } = await import('../../jobs/send-worker.js');
  const ctx = await openContext();
  // SIGINT/SIGTERM: stop claiming rows, let the messages in flight finish and be recorded.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const say = (line: object, text: string) => console.log(flags.json ? JSON.stringify(line) : `marketwrap worker: ${text}`);
  const seen = new Set<string>();
  try {
    await runWorker(ctx, {
      once: flags.once,
      pollMs: flags.poll * 1000,
      signal: stop.signal,
      report: (editionId, s) => {
        seen.add(editionId);
        say(
          { editionId, ...s },
          `${editionId}: ${s.sent}/${s.total} sent, ${s.queued} queued, ${s.sending} with other senders, ${s.failed} failed` +
            (s.inFlightAtStart.length > 0 ? `; ${s.inFlightAtStart.length} were in flight when a sender died (not resent): ${s.inFlightAtStart.join(', ')}` : ''),
        );
      },
      problem: (editionId, message) => {
        console.error(`marketwrap worker: ${editionId}: ${message}`);
        process.exitCode = EXIT.failed;
      },
    });
    // As `digest` says it: 130 stopped; 1 when an edition this worker sent has failures or rows left
    // (read at the end: the last sender to finish may be another worker); else 0.
    const finals = await Promise.all([...seen].map((id) => ctx.ledger.counts(id)));
    const unfinished = finals.some((c) => c.queued + c.sending + c.failedTemporary + c.failedPermanent + c.failedAmbiguous > 0);
    if (stop.signal.aborted) process.exitCode = EXIT.interrupted;
    else if (unfinished) process.exitCode = EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await ctx.close();
  }
}

export function registerWorker(cli: Command): void {
  cli
    .command('worker')
    .description('send the editions in progress together with any other senders on the same database (run several, on one machine or many)')
    .option('--once', 'exit when no edition is in progress, instead of waiting for the next')
    .addOption(
      new Option('--poll <seconds>', 'how often to look for editions in progress').default(5).argParser((value) => {
        const seconds = Number(value);
        if (!(seconds > 0 && seconds <= 3600)) throw new InvalidArgumentError('give a number of seconds between 0 and 3600, such as 5');
        return seconds;
      }),
    )
    .option('--json', 'print each pass as a JSON line')
    .action(worker);
}
