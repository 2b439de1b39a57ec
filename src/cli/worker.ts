/** `worker`: a sender process that shares the ledger of every edition in progress with the others. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EXIT } from '../shared/errors.js';
import type { DeliverySummary } from '../delivery/index.js';
import { whileSending } from './shared.js';

interface WorkerFlags {
  once?: boolean;
  poll: number;
  json?: boolean;
}

/** One line a pass, for people, or the pass as JSON. */
function reportPass(json: boolean | undefined, editionId: string, s: DeliverySummary): void {
  if (json) {
    console.log(JSON.stringify({ editionId, ...s }));
    return;
  }
  const died = s.inFlightAtStart.length > 0 ? `; ${s.inFlightAtStart.length} were in flight when a sender died (not resent): ${s.inFlightAtStart.join(', ')}` : '';
  console.log(`marketwrap worker: ${editionId}: ${s.sent}/${s.total} sent, ${s.queued} queued, ${s.sending} with other senders, ${s.failed} failed${died}`);
}

async function worker(flags: WorkerFlags): Promise<void> {
  const { runWorker } = await import('../../jobs/send-worker.js');
  await whileSending(async (ctx, signal) => {
    const seen = new Set<string>();
    await runWorker(ctx, {
      once: flags.once,
      pollMs: flags.poll * 1000,
      signal,
      report: (editionId, summary) => {
        seen.add(editionId);
        reportPass(flags.json, editionId, summary);
      },
      problem: (editionId, message, exitCode) => {
        console.error(`marketwrap worker: ${editionId}: ${message}`);
        process.exitCode = exitCode;
      },
    });
    // As `digest` says it: 130 stopped; 1 when an edition this worker sent has failures or rows left
    // (read at the end: the last sender to finish may be another worker); else 0.
    const finals = await Promise.all([...seen].map((id) => ctx.ledger.counts(id)));
    const unfinished = finals.some((c) => c.queued + c.sending + c.failedTemporary + c.failedPermanent + c.failedAmbiguous > 0);
    if (signal.aborted) process.exitCode = EXIT.interrupted;
    else if (unfinished) process.exitCode = EXIT.failed;
  });
}

export function registerWorker(cli: Command): void {
  cli
    .command('worker')
    .description('send the editions in progress together with any other senders on the same database (run several, on one machine or many)')
    .option('--once', 'exit when no edition is in progress, instead of waiting for the next')
    .addOption(
      new Option('--poll <seconds>', 'how often to look for editions in progress').default(5).argParser((value) => {
        const seconds = Number(value);
        if (!(seconds > 0 && seconds <= 3600)) throw new InvalidArgumentError('give a number of seconds above 0 and at most 3600, such as 5');
        return seconds;
      }),
    )
    .option('--json', 'print each pass as a JSON line')
    .action(worker);
}
