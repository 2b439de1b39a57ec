/** `digest` (the weekly job, now) and `build` (the edition only). */
import type { Command } from 'commander';
import type { DigestResult } from '../../jobs/weekly-digest.js';
import type { Context } from '../shared/context.js';
import { EXIT } from '../shared/errors.js';
import { parseEmail } from '../subscribers/address.js';
import { noteLines, printDigest, progressBar, show } from './output.js';
import { asOfOption, dataOption, whileSending, withContext } from './shared.js';

interface DigestFlags {
  asOf?: string;
  data?: string;
  to?: string[];
  dryRun?: boolean;
  allowDemoData?: boolean;
  resume?: boolean;
  retryFailed?: boolean;
  newEdition?: boolean;
  queueOnly?: boolean;
  sendDespiteChecks?: boolean;
  json?: boolean;
}

/** 0 only when the edition is done: failed, stopped, unfinished or another sender's rows all say 1; a stop signal 130. */
export function digestExitCode(result: DigestResult): number {
  const d = result.delivery;
  if (!d) return EXIT.ok;
  if (d.interrupted) return EXIT.interrupted;
  return d.failed > 0 || d.stopped || d.queued > 0 || d.sending > 0 ? EXIT.failed : EXIT.ok;
}

async function digest(flags: DigestFlags): Promise<void> {
  const { weeklyDigest } = await import('../../jobs/weekly-digest.js');
  await whileSending(async (ctx, signal) => {
    const bar = !flags.json && process.stderr.isTTY ? progressBar() : undefined;
    const { json, ...request } = flags;
    const result = await weeklyDigest.run(ctx, { ...request, signal, onProgress: bar?.update });
    bar?.done();
    if (json) console.log(JSON.stringify(result, null, 2));
    else printDigest(result);
    process.exitCode = digestExitCode(result);
  });
}

/** Builds the edition and saves its files; a week that went out keeps its files, and the build takes the next id. */
async function build(ctx: Context, flags: { asOf?: string; data?: string }): Promise<void> {
  const [{ editionToBuild }, { writeEditionFiles }, { resolveAsOf }, { editionIdFor }] = await Promise.all([
    import('../../jobs/weekly-digest.js'),
    import('../edition/archive.js'),
    import('../edition/as-of.js'),
    import('../edition/id.js'),
  ]);
  const target = await editionToBuild(ctx, editionIdFor(resolveAsOf(flags.asOf, ctx.clock())), false);
  const edition = await ctx.buildEdition({ ...flags, editionId: target.id });
  const files = writeEditionFiles(edition, ctx.editionsDir);
  console.log(`Edition ${edition.id}: ${edition.subject}\n  ${show(files.html)}\n  ${show(files.text)}\n  ${show(files.webHtml)}\n  ${show(files.json)}`);
  for (const line of noteLines('Data', edition.snapshot.notes, files.json)) console.log(line);
  const { reviewFindings } = await import('../commentary/findings.js');
  for (const line of noteLines('Check', reviewFindings(edition.review), files.json)) console.log(line);
  for (const issue of edition.snapshot.issues) console.log(`  WARNING: ${issue.message}`);
  if (target.instead) console.log(`Note: ${target.instead}`);
}

export function registerDigest(cli: Command): void {
  cli
    .command('digest')
    .description('run the weekly job now: build the edition, save it, deliver it')
    .addOption(asOfOption())
    .addOption(dataOption())
    .option('--to <email>', 'send to this address instead of the list (repeatable)', (value: string, all: string[] = []) => [...all, parseEmail(value)])
    .option('--dry-run', 'build and save the edition, send nothing')
    .option('--allow-demo-data', 'allow an edition built from demo data to go out over real SMTP')
    .option('--resume', "continue this week's interrupted send")
    .option('--retry-failed', "retry this week's temporary failures")
    .option('--new-edition', 'send a new edition of a week whose edition already went out')
    .option('--send-despite-checks', "send to the list although the truth checks or the editor's lint found something in the copy")
    .option('--queue-only', 'claim and queue the edition for `marketwrap worker` processes; send nothing here')
    .option('--json', 'print the result as JSON')
    .action(digest);

  cli
    .command('build')
    .description('build and save the edition (HTML, text, JSON) without delivering it')
    .addOption(asOfOption())
    .addOption(dataOption())
    .action(withContext(build));
}
