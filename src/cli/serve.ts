/** `serve` (the public site and the weekly schedule) and `preview` (the template studio). */
import type { Command } from 'commander';
import type { Context } from '../shared/context.js';
import { fail, messageOf } from '../shared/errors.js';
import { listenOrExplain, openContext } from './shared.js';

/** An edition whose send died with the process is finished first (the ledger knows what is owed). */
async function resumeInterrupted(ctx: Context): Promise<void> {
  const { weeklyDigest } = await import('../../jobs/weekly-digest.js');
  for (const editionId of await weeklyDigest.interrupted(ctx)) {
    try {
      const result = await weeklyDigest.run(ctx, { resume: true, editionId, allowDemoData: ctx.env.SMTP_URL === undefined });
      console.log(`marketwrap: resumed ${editionId}: ${result.delivery?.sent} sent in total, ${result.delivery?.inFlightAtStart.length} in flight at the interruption`);
    } catch (error) {
      console.error(`marketwrap: could not resume ${editionId}: ${messageOf(error)}`);
    }
  }
}

/** Every 10 minutes, the bounce mailbox (when BOUNCE_IMAP_URL is set); a failed read is logged and tried again. */
function watchBounceMailbox(ctx: Context): void {
  const url = ctx.env.BOUNCE_IMAP_URL;
  if (!url) return;
  const read = async () => {
    const { processBounceMailbox, mailboxSummary } = await import('../feedback/mailbox.js');
    const { feedbackDeps } = await import('../feedback/apply.js');
    const run = await processBounceMailbox(url, feedbackDeps(ctx), ctx.clock);
    if (run.tripped) ctx.log.warn(run, `bounce mailbox: ${mailboxSummary(run)}`);
    else if (run.read) ctx.log.info(run, 'bounce mailbox');
  };
  setInterval(() => read().catch((error) => ctx.log.error({ err: messageOf(error) }, 'bounce mailbox')), 10 * 60_000).unref();
}

/** Every minute, the desk's clock: the next edition built ahead for review, approved drafts sent (jobs/review.ts). */
function watchDesk(ctx: Context): void {
  let running: Promise<void> | undefined;
  // One tick at a time: a send can outlast the minute, and a second build would mail a second draft.
  const tick = () => {
    if (running || ctx.closed) return;
    running = (async () => {
      const { deskTick } = await import('../../jobs/review.js');
      for (const line of await deskTick(ctx)) ctx.log.info({ desk: line }, 'desk');
    })()
      .catch((error) => ctx.log.error({ err: messageOf(error) }, 'desk'))
      .finally(() => {
        running = undefined;
      });
  };
  setInterval(tick, 60_000).unref();
  tick();
}

async function serve(flags: { grace: string }): Promise<void> {
  const grace = Number(flags.grace);
  if (flags.grace.trim() === '' || !Number.isFinite(grace) || grace < 0) throw fail('GRACE_INVALID', { value: flags.grace });
  const [{ buildServer }, { scheduleJobs }, { weeklyDigest }] = await Promise.all([
    import('../web/server.js'),
    import('../edition/schedule.js'),
    import('../../jobs/weekly-digest.js'),
  ]);
  const ctx = await openContext();
  let scheduler: ReturnType<typeof scheduleJobs> | undefined;
  // Over HTTP no flag can be passed: a refusal says what to do instead.
  const app = buildServer(ctx, { nextRun: () => scheduler?.nextRun() ?? null, sendNow: () => weeklyDigest.run(ctx, { via: 'http' }) });
  // Listen first: a server that cannot listen exits, instead of idling with its schedule armed.
  const address = await listenOrExplain(
    () => app.listen({ port: ctx.env.PORT, host: ctx.env.HOST }),
    ctx.env.HOST,
    ctx.env.PORT,
    'PORT',
    () => ctx.close(),
  );
  // The schedule's run tells the publisher why a failed check held the edition.
  const scheduled = { ...weeklyDigest, run: (c: Context) => weeklyDigest.run(c, { via: 'schedule' }) };
  const armed = scheduleJobs(ctx, [scheduled], grace * 3600_000);
  scheduler = armed;
  console.log(`marketwrap: ${ctx.config.title} at ${address} (public URL ${ctx.env.PUBLIC_URL})`);
  console.log(
    `marketwrap: next weekly send ${armed.nextRun()?.toISOString() ?? 'not scheduled'} (${ctx.config.schedule.cron}, ${ctx.config.timeZone}, approval ${ctx.config.schedule.approval})`,
  );
  const shutdown = async () => {
    await armed.stop();
    await app.close();
    await ctx.close();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  watchBounceMailbox(ctx);
  await resumeInterrupted(ctx);
  await armed.ready;
  watchDesk(ctx);
}

async function preview(flags: { port: string; templates?: string }): Promise<void> {
  const { buildPreviewServer } = await import('../preview/server.js');
  const ctx = await openContext(flags.templates ? { templatesDir: flags.templates } : {});
  const studio = buildPreviewServer(ctx);
  const address = await listenOrExplain(
    () => studio.app.listen({ port: Number(flags.port), host: ctx.env.HOST }),
    ctx.env.HOST,
    flags.port,
    '--port',
    () => {
      studio.close();
      return ctx.close();
    },
  );
  console.log(`marketwrap: preview studio at ${address} (templates ${ctx.templatesDir}; edits reload the page)`);
  const stop = async () => {
    studio.close();
    await studio.app.close();
    await ctx.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerServe(cli: Command): void {
  cli
    .command('serve')
    .description('run the public site (PORT) and the weekly schedule')
    .option('--grace <hours>', 'run a scheduled send missed within this many hours at start-up', '36')
    .action(serve);
  cli
    .command('preview')
    .description('the preview studio: every email and template, live, offline (http://localhost:4000)')
    .option('--port <port>', 'port to listen on', '4000')
    .option('--templates <dir>', "templates folder to watch and render (default: the project's)")
    .action(preview);
}
