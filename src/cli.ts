/** `marketwrap <command>`: thin, for people (and --json for scripts); the stages do the work. */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { SendRefused, weeklyDigest, type DigestResult } from '../jobs/weekly-digest.js';
import { backtest } from './backtest.js';
import { writeEditionFiles } from './archive.js';
import { buildEdition, parseUserDate, resolveAsOf } from './build.js';
import { TemplateError } from './commentary/index.js';
import { DatabaseError } from './db/index.js';
import { MjmlError } from './render/mjml.js';
import { ConfigError } from './config/env.js';
import { newsletterJsonSchema } from './config/newsletter.js';
import { createContext, PROJECT_ROOT, type Context } from './context.js';
import { loadMarketData, MarketDataError, sourceKey, sourcesFor } from './market/index.js';
import { scheduleJobs } from './schedule.js';
import { InvalidAddressError, parseEmail, SubscriberError } from './subscribers/index.js';
import { readAddresses } from './subscribers/csv-import.js';
import { buildServer } from './web/server.js';

/** Errors that mean "your input is wrong": exit code 2 and one line saying what to fix. */
const INPUT_ERRORS = [ConfigError, MarketDataError, InvalidAddressError, SubscriberError, TemplateError, MjmlError, DatabaseError];

const show = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

function withContext(action: (ctx: Context, ...args: any[]) => Promise<void> | void) {
  return async (...args: any[]) => {
    const ctx = createContext();
    try {
      await action(ctx, ...args);
    } finally {
      ctx.close();
    }
  };
}

/** 0 only when the edition is done: failed, stopped, unfinished or another sender's rows all say 1; a stop signal 130. */
export function digestExitCode(result: DigestResult): number {
  const d = result.delivery;
  if (!d) return 0;
  if (d.interrupted) return 130;
  return d.failed > 0 || d.stopped || d.queued > 0 || d.sending > 0 ? 1 : 0;
}

/** Listens, or cleans up and says in one line why not (a port in use, a bad port). */
async function listenOrExplain(listen: () => Promise<string>, host: string, port: number | string, setting: string, cleanup: () => void): Promise<string> {
  try {
    return await listen();
  } catch (error) {
    cleanup();
    const e = error as { code?: string; message?: string };
    throw new ConfigError(`cannot listen on ${host}:${port} (${e.code ?? e.message}): choose a free port with ${setting}`);
  }
}

/** A CSV cell that a spreadsheet will not run: a leading = + - @ (or tab, CR) is quoted away with a '. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function printDigest(result: DigestResult): void {
  const lines = [
    `Edition ${result.editionId} (week ending ${result.asOf})${result.demo ? ' — DEMO DATA' : ''}`,
    `  Subject: ${result.subject}`,
    `  Email:   ${show(result.files.html)} (${(result.htmlBytes / 1024).toFixed(1)} KB of HTML), ${show(result.files.text)}`,
    `  Web:     ${show(result.files.webHtml)}, ${show(result.files.webText)}`,
    `  JSON:    ${show(result.files.json)}`,
  ];
  const NOTES_SHOWN = 5;
  for (const note of result.dataNotes.slice(0, NOTES_SHOWN)) lines.push(`  Data: ${note}`);
  if (result.dataNotes.length > NOTES_SHOWN) lines.push(`  Data: ... ${result.dataNotes.length - NOTES_SHOWN} more notes in ${show(result.files.json)}`);
  const d = result.delivery;
  if (d) {
    const f = d.failures;
    lines.push(
      `Delivery via ${d.transport}: ${d.sent} sent, ${d.failed} failed (${f.temporary} temporary, ${f.permanent} permanent, ${f.ambiguous} ambiguous), ${d.skipped} skipped` +
        `${d.queued ? `, ${d.queued} still queued` : ''} in ${(d.durationMs / 1000).toFixed(1)} s${d.ratePerSecond ? ` (${d.ratePerSecond}/s)` : ''}`,
    );
    for (const r of d.sentTo ?? []) lines.push(`  sent    ${r.email}  ${show(r.reply)}`);
    for (const r of d.failedRecipients.slice(0, 20)) lines.push(`  failed  ${r.email}  ${r.failure}: ${r.reply}`);
    if (d.failedRecipients.length > 20) lines.push(`  ... and ${d.failedRecipients.length - 20} more failures`);
    if (d.inFlightAtStart.length) lines.push(`  In flight when the previous send stopped (maybe delivered, ${'handled by delivery.ambiguous'}): ${d.inFlightAtStart.join(', ')}`);
    if (d.interrupted) lines.push(`  Interrupted: ${d.queued} left queued; continue with \`marketwrap digest --resume\``);
    if (d.stopped) lines.push(`  Stopped: the SMTP server refused the session (${d.stopped}); ${d.queued} left queued. Fix SMTP_URL, its credentials or the sender address, then run \`marketwrap digest --resume\``);
    if (d.sending) lines.push(`  ${d.sending} still in flight with another sender (its lease is current): run \`marketwrap digest --resume\` once it has stopped`);
    if (d.total > 0) lines.push(`  A crash can leave at most ${d.ambiguousBound} messages unaccounted for (reported by address on --resume, never sent twice).`);
  }
  if (result.note) lines.push(`Note: ${result.note}`);
  console.log(lines.join('\n'));
}

/** A one-line progress bar with rate and ETA, on stderr, only on a terminal. */
function progressBar() {
  const started = Date.now();
  return {
    update(done: number, total: number) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : 0;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${rate.toFixed(0)}/s  ETA ${eta}s `);
    },
    done: () => process.stderr.write('\n'),
  };
}


export function program(): Command {
  const cli = new Command('marketwrap')
    .description('Writes and sends a weekly market-commentary email.')
    .showHelpAfterError()
    .exitOverride();

  const dataOption = () => new Option('--data <source>', 'market data: auto, live, demo or demo:<scenario> (default: MARKET_DATA)');
  const asOfOption = () =>
    new Option('--as-of <date>', 'the week ending on this date (YYYY-MM-DD; default: the last completed week)').argParser((value) => parseUserDate('--as-of', value));

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
    .option('--json', 'print the result as JSON')
    .action(
      withContext(async (ctx, opts) => {
        // SIGINT/SIGTERM: stop taking new rows, let in-flight messages finish, leave the rest queued.
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const bar = !opts.json && process.stderr.isTTY ? progressBar() : undefined;
        try {
          const result = await weeklyDigest.run(ctx, {
            asOf: opts.asOf, data: opts.data, to: opts.to, dryRun: opts.dryRun, allowDemoData: opts.allowDemoData,
            resume: opts.resume, retryFailed: opts.retryFailed, newEdition: opts.newEdition, signal: stop.signal, onProgress: bar?.update,
          });
          bar?.done();
          if (opts.json) console.log(JSON.stringify(result, null, 2));
          else printDigest(result);
          process.exitCode = digestExitCode(result);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );

  cli
    .command('build')
    .description('build and save the edition (HTML, text, JSON) without delivering it')
    .addOption(asOfOption())
    .addOption(dataOption())
    .action(
      withContext(async (ctx, opts) => {
        const edition = await buildEdition(ctx, { asOf: opts.asOf, data: opts.data });
        const files = writeEditionFiles(edition, ctx.editionsDir);
        console.log(`Edition ${edition.id}: ${edition.subject}\n  ${show(files.html)}\n  ${show(files.text)}\n  ${show(files.webHtml)}\n  ${show(files.json)}`);
        for (const issue of edition.snapshot.issues) console.log(`  WARNING: ${issue.message}`);
      }),
    );

  const subscribers = cli.command('subscribers').description('manage the list');
  subscribers
    .command('add <email...>')
    .description('add confirmed subscribers (they consented elsewhere)')
    .action(
      async (emails: string[]) => {
        // All or nothing: every address is checked before anything (the data folder included) is touched.
        const valid = emails.map(parseEmail);
        await withContext((ctx) => {
          for (const row of ctx.subscribers.addAll(valid, 'cli')) console.log(`${row.email}: ${row.status}`);
        })();
      },
    );
  subscribers
    .command('remove <email>')
    .description('unsubscribe an address (kept, so it is never mailed again)')
    .action(
      withContext((ctx, email: string) => {
        const row = ctx.subscribers.remove(email);
        console.log(`${row.email}: ${row.status}`);
      }),
    );
  subscribers
    .command('import <csv>')
    .description('import confirmed subscribers from a CSV file (an "email" column, or one address a line)')
    .option('--json', 'print the report as JSON')
    .action(
      withContext(async (ctx, file: string, opts) => {
        const report = await ctx.subscribers.import(readAddresses(file));
        if (opts.json) return console.log(JSON.stringify(report, null, 2));
        console.log(`${report.accepted} accepted, ${report.rejected.length} rejected, ${report.duplicates} duplicates`);
        for (const r of report.rejected) console.log(`  line ${r.line}: ${JSON.stringify(r.value)} ${r.reason}`);
      }),
    );
  subscribers
    .command('export')
    .description('the list as CSV (or --json) on stdout')
    .option('--json', 'print as JSON')
    .action(
      withContext((ctx, opts) => {
        const rows = ctx.subscribers.list();
        if (opts.json) return console.log(JSON.stringify(rows, null, 2));
        const columns = ['email', 'status', 'consent_source', 'created_at', 'status_changed_at', 'confirmed_at', 'unsubscribed_at'] as const;
        process.stdout.write(`${[columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(String(r[c] ?? ''))).join(','))].join('\n')}\n`);
      }),
    );
  subscribers
    .command('erase <email>')
    .description('erase a person\'s data (GDPR); a hash is kept so the address is never mailed again')
    .action(
      withContext((ctx, email: string) => {
        ctx.subscribers.erase(email);
        console.log(`${email.trim().toLowerCase()}: erased`);
      }),
    );
  subscribers
    .command('list')
    .description('list subscribers')
    .option('--json', 'print as JSON')
    .action(
      withContext((ctx, opts) => {
        const rows = ctx.subscribers.list();
        if (opts.json) return console.log(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return console.log('No subscribers yet: add one with `marketwrap subscribers add you@example.com`.');
        for (const r of rows) console.log(`${r.email.padEnd(40)} ${r.status.padEnd(12)} ${r.consent_source.padEnd(6)} since ${r.status_changed_at}`);
        console.log(`${rows.length} subscribers, ${rows.filter((r) => r.status === 'confirmed').length} confirmed`);
      }),
    );

  const data = cli.command('data').description('the market data cache');
  data
    .command('fetch')
    .description('fetch live closes for every instrument into the cache (only what is missing, plus recent sessions)')
    .addOption(asOfOption())
    .option('--json', 'print the result as JSON')
    .action(
      withContext(async (ctx, opts) => {
        const asOf = resolveAsOf(opts.asOf, ctx.clock());
        const snapshot = await loadMarketData({ source: 'live', asOf, config: ctx.config, now: ctx.clock(), store: ctx.store, providers: ctx.env, allowDemoFallback: false });
        if (opts.json) return console.log(JSON.stringify({ asOf, sources: snapshot.sources, issues: snapshot.issues, notes: snapshot.notes }, null, 2));
        for (const series of snapshot.series) console.log(`${series.symbol.padEnd(8)} ${String(series.points.length).padStart(4)} closes to ${series.points.at(-1)!.date}  ${series.source}`);
        for (const note of snapshot.notes) console.log(`note: ${note}`);
        for (const issue of snapshot.issues) console.log(`WARNING: ${issue.message}`);
        if (snapshot.issues.length) process.exitCode = 3;
      }),
    );
  data
    .command('show <symbol>')
    .description('cached closes of an instrument (as configured, e.g. ^GSPC) or a source (e.g. yahoo:IWM)')
    .option('--json', 'print as JSON')
    .option('--from <date>', 'first date', '0000-00-00')
    .action(
      withContext((ctx, symbol: string, opts) => {
        const instrument = ctx.config.instruments.find((i) => i.symbol === symbol);
        const keys = symbol.includes(':') ? [symbol] : instrument ? sourcesFor(instrument).map(sourceKey) : [];
        const key = keys.find((k) => ctx.store.lastCloseDate(k)) ;
        if (!key) throw new MarketDataError(`no cached closes for ${symbol}: run \`marketwrap data fetch\` first (instruments: ${ctx.config.instruments.map((i) => i.symbol).join(', ')})`);
        const rows = ctx.store.closes(key, opts.from, '9999-12-31');
        if (opts.json) return console.log(JSON.stringify({ symbol, source: key, closes: rows }, null, 2));
        console.log(`${symbol} from ${key}: ${rows.length} closes`);
        for (const r of rows) console.log(`${r.date}  ${r.close}`);
      }),
    );
  data
    .command('export')
    .description('every cached close as CSV (source,date,close) on stdout')
    .action(
      withContext((ctx) => {
        const lines = ['source,date,close'];
        for (const { source } of ctx.store.cachedSources()) {
          for (const r of ctx.store.closes(source, '0000-00-00', '9999-12-31')) lines.push(`${source},${r.date},${r.close}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  cli
    .command('serve')
    .description('run the public site (PORT) and the weekly schedule')
    .option('--grace <hours>', 'run a scheduled send missed within this many hours at start-up', '36')
    .action(async (opts) => {
      const grace = Number(opts.grace);
      if (opts.grace.trim() === '' || !Number.isFinite(grace) || grace < 0) throw new ConfigError(`--grace "${opts.grace}" is not a number of hours: use e.g. --grace 36`);
      const ctx = createContext();
      let scheduler: ReturnType<typeof scheduleJobs> | undefined;
      const app = buildServer(ctx, { nextRun: () => scheduler?.nextRun() ?? null });
      // Listen first: a server that cannot listen exits, instead of idling with its schedule armed.
      const address = await listenOrExplain(() => app.listen({ port: ctx.env.PORT, host: ctx.env.HOST }), ctx.env.HOST, ctx.env.PORT, 'PORT', () => ctx.close());
      scheduler = scheduleJobs(ctx, [weeklyDigest], grace * 3600_000);
      console.log(`marketwrap: ${ctx.config.title} at ${address} (public URL ${ctx.env.PUBLIC_URL})`);
      console.log(`marketwrap: next weekly send ${scheduler.nextRun()?.toISOString() ?? 'not scheduled'} (${ctx.config.schedule}, ${ctx.config.timeZone})`);
      const shutdown = async () => {
        await scheduler.stop();
        await app.close();
        ctx.close();
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      // An edition whose send died with the process is finished first (the ledger knows what is owed).
      for (const editionId of weeklyDigest.interrupted(ctx)) {
        try {
          const result = await weeklyDigest.run(ctx, { resume: true, editionId, allowDemoData: ctx.env.SMTP_URL === undefined });
          console.log(`marketwrap: resumed ${editionId}: ${result.delivery?.sent} sent in total, ${result.delivery?.inFlightAtStart.length} in flight at the interruption`);
        } catch (error) {
          console.error(`marketwrap: could not resume ${editionId}: ${(error as Error).message}`);
        }
      }
      await scheduler.ready;
    });

  cli
    .command('backtest')
    .description('render every weekly edition in a range into an archive folder, with a report')
    .requiredOption('--from <date>', 'first week (YYYY-MM-DD)', (value: string) => parseUserDate('--from', value))
    .requiredOption('--to <date>', 'last week (YYYY-MM-DD)', (value: string) => parseUserDate('--to', value))
    .option('--data <source>', 'demo:<scenario>, cache (cached live closes) or csv:<folder> (GSPC.csv, RUT.csv, ... as Yahoo exports them)', 'demo:small-cap-rally')
    .option('--full-history <symbols>', 'CSV series that start at the first close there is, so records may be claimed (e.g. ^GSPC)', '')
    .option('--no-render', 'check the commentary only; write no HTML (fast over decades)')
    .option('--out <dir>', 'archive folder', 'backtest')
    .option('--json', 'print the report as JSON')
    .action(
      withContext(async (ctx, opts) => {
        const fullHistory = String(opts.fullHistory).split(',').map((s) => s.trim()).filter(Boolean);
        const report = await backtest(ctx, { from: opts.from, to: opts.to, data: opts.data, out: opts.out, fullHistory, render: opts.render });
        if (opts.json) return console.log(JSON.stringify(report, null, 2));
        for (const w of report.weeks) {
          const problems = [...w.contradictions, ...w.lookbacks, ...w.style, ...w.repeated.map((r) => `repeated: ${r}`)];
          console.log(`${w.id}  ${String(w.signals.length).padStart(2)} signals  ${w.headline}${problems.length ? `  PROBLEMS: ${problems.join('; ')}` : ''}`);
        }
        console.log(`${report.weeks.length} editions, ${report.contradictions} contradictions, ${report.lookbacks} look-back errors, ${report.style} style problems, ${report.repeated} repeated phrasings: ${show(report.index)}`);
        if (report.contradictions + report.lookbacks + report.style) process.exitCode = 1;
      }),
    );

  cli
    .command('preview')
    .description('the preview studio: every email and template, live, offline (http://localhost:4000)')
    .option('--port <port>', 'port to listen on', '4000')
    .option('--templates <dir>', 'templates folder to watch and render (default: the project\'s)')
    .action(async (opts) => {
      const ctx = createContext(opts.templates ? { templatesDir: opts.templates } : {});
      const { buildPreviewServer } = await import('./preview/server.js');
      const studio = buildPreviewServer(ctx);
      const address = await listenOrExplain(() => studio.app.listen({ port: Number(opts.port), host: ctx.env.HOST }), ctx.env.HOST, opts.port, '--port', () => {
        studio.close();
        ctx.close();
      });
      console.log(`marketwrap: preview studio at ${address} (templates ${ctx.templatesDir}; edits reload the page)`);
      const stop = async () => {
        studio.close();
        await studio.app.close();
        ctx.close();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  const config = cli.command('config').description('the config file');
  config
    .command('show')
    .description('print the effective config (file merged over the defaults) as JSON')
    .action(withContext((ctx) => console.log(JSON.stringify(ctx.config, null, 2))));
  config
    .command('schema')
    .description('print the JSON Schema of marketwrap.config.json')
    .option('--write', 'write it to marketwrap.config.schema.json for editor completion')
    .action((opts) => {
      const schema = `${JSON.stringify(newsletterJsonSchema(), null, 2)}\n`;
      if (!opts.write) return void process.stdout.write(schema);
      const file = `${PROJECT_ROOT}/marketwrap.config.schema.json`;
      writeFileSync(file, schema);
      console.log(`wrote ${show(file)}`);
    });

  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof SendRefused) {
      console.error(`marketwrap: ${error.message}`);
      return 3;
    }
    if (INPUT_ERRORS.some((kind) => error instanceof kind)) {
      console.error(`marketwrap: ${(error as Error).message}`);
      return 2;
    }
    console.error(`marketwrap: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly || process.env['MARKETWRAP_BIN'] === '1') {
  process.exitCode = await main(process.argv.slice(2));
}
