/**
 * The weekly job: build this week's edition and deliver it to the list, once. `marketwrap digest`
 * runs it now; `serve` runs it on the config's cron and resumes an interrupted send at start-up.
 */
import { ArchiveError, editionFiles, parseSendable, readSavedEdition, type SavedEdition, sendableJson, writeEditionFiles, type EditionFiles } from '../src/archive.js';
import { resolveAsOf } from '../src/as-of.js';
import { RefusedError } from '../src/errors.js';
import type { Context } from '../src/context.js';
import { messageFactory, processOwner, sendAdHoc, sendToList, tokenBucket, type DeliverySummary, type Recipient } from '../src/delivery/index.js';
import { decideSend } from '../src/delivery/policy.js';
import { editionIdFor } from '../src/edition-id.js';
import { lastCompletedWeekEnd } from '../src/market/calendar.js';
import { parseEmail, unsubscribeUrl } from '../src/subscribers/index.js';

export class SendRefused extends RefusedError {
  override name = 'SendRefused';
}

export interface DigestOptions {
  asOf?: string;
  data?: string;
  /** Over real SMTP, an edition built from demo data is refused unless this is set. */
  allowDemoData?: boolean;
  /** Ad-hoc recipients instead of the list (a test send). */
  to?: string[];
  dryRun?: boolean;
  /** Continue an interrupted send of this week's edition (the saved edition, not a rebuilt one). */
  resume?: boolean;
  /** Retry this week's temporary failures. */
  retryFailed?: boolean;
  /** Send a new edition of a week whose edition already went out. */
  newEdition?: boolean;
  /** Claim and queue the edition for `marketwrap worker` processes, and send nothing here. */
  queueOnly?: boolean;
  /** With --resume/--retry-failed: which edition (default: the week of --as-of, or the latest). */
  editionId?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface DigestResult {
  editionId: string;
  asOf: string;
  subject: string;
  demo: boolean;
  files: EditionFiles;
  htmlBytes: number;
  /** Why nobody was mailed, when nobody was. */
  note?: string;
  /** What happened while fetching market data (providers skipped, fallbacks). */
  dataNotes: string[];
  delivery?: DeliverySummary & { sentTo?: Array<{ email: string; reply: string }> };
}

/**
 * The edition as it was first built: from the database (where any sender, on any machine, finds it),
 * or from the saved files for editions queued before it was kept there. SendRefused says why not.
 */
export async function savedEdition(ctx: Context, id: string): Promise<SavedEdition> {
  try {
    const json = await ctx.store.sendable(id);
    return json === undefined ? readSavedEdition(ctx.editionsDir, id) : parseSendable(id, json);
  } catch (error) {
    if (error instanceof ArchiveError) throw new SendRefused(error.message);
    throw error;
  }
}

export const weeklyDigest = {
  name: 'weekly-digest',
  schedule: (ctx: Context) => ({ cron: ctx.config.schedule, timeZone: ctx.config.timeZone }),

  /** The edition of the week that `due` closes went out already (a missed-run catch-up must not repeat it). */
  async ranSince(ctx: Context, due: Date): Promise<boolean> {
    return (await ctx.ledger.editionState(editionIdFor(lastCompletedWeekEnd(due))))?.send_started_at != null;
  },

  /** Editions whose send started and never finished (the process died): `serve` resumes them. */
  interrupted: (ctx: Context): Promise<string[]> => ctx.ledger.editionsInProgress(),

  async run(ctx: Context, options: DigestOptions = {}): Promise<DigestResult> {
    // Validate every input before anything is written.
    const adHoc = options.to?.map(parseEmail);
    if (options.resume || options.retryFailed) return continueEdition(ctx, options);
    const { ledger } = ctx;
    const overSmtp = Boolean(ctx.env.SMTP_URL);
    const built = await ctx.buildEdition({ ...options, allowDemoFallback: !overSmtp || options.allowDemoData === true });
    const id = options.newEdition ? nextEditionId(built.id, await ledger.editionIds(built.id)) : built.id;
    const state = await ledger.editionState(id);
    const started = state?.send_started_at != null;
    const transport = ctx.transport();
    const request = options.dryRun ? 'dry-run' : adHoc?.length ? 'adhoc' : 'list';
    // A started edition keeps its saved files (they are what subscribers got, and the archive); a list
    // send of one is refused before they are read.
    const edition = !started ? { ...built, id, demo: built.snapshot.demo } : request === 'list' ? undefined : await savedEdition(ctx, id);
    const decision = decideSend({
      request,
      started,
      completed: state?.send_completed_at != null,
      dataIssues: built.snapshot.issues.length,
      demo: edition?.demo ?? false,
      overSmtp,
      allowDemoData: options.allowDemoData === true,
      confirmed: await ledger.confirmedCount(),
      outbox: transport.kind === 'outbox',
    });
    if (!edition || (decision.action === 'refuse' && (decision.because === 'already-sent' || decision.because === 'in-progress'))) {
      const c = await ledger.counts(id);
      throw new SendRefused(
        `edition ${id} ${state?.send_completed_at ? 'was already sent' : 'is being sent or was interrupted'} (${c.sent} sent, ${c.queued} queued, ${c.failedTemporary + c.failedPermanent + c.failedAmbiguous} failed): ` +
          'use --resume to continue it, --retry-failed to retry temporary failures, or --new-edition to send a new edition of this week',
      );
    }
    const files = started ? editionFiles(ctx.editionsDir, id) : writeEditionFiles({ ...built, id }, ctx.editionsDir);
    const result: DigestResult = {
      editionId: id,
      asOf: edition.asOf,
      subject: edition.subject,
      demo: edition.demo,
      files,
      htmlBytes: Buffer.byteLength(edition.html),
      dataNotes: built.snapshot.notes,
    };
    if (!started) await ctx.store.saveEdition({ id, asOf: built.asOf, subject: built.subject, headline: built.commentary.headline, demo: built.snapshot.demo }, ctx.clock());
    const build = messageFactory(edition, ctx.sender, ctx.clock(), ctx.dkim, ctx.proofKey);
    switch (decision.action) {
      case 'refuse':
        throw new SendRefused(
          decision.because === 'data-issues'
            ? `not sending ${id}: ${built.snapshot.issues.map((i) => i.message).join('; ')} (the edition was saved to ${files.html} with these warnings)`
            : `not sending ${id} over SMTP: it was built from demo data; use live data, or pass --allow-demo-data to send it anyway`,
        );
      case 'dry-run':
        return { ...result, note: 'dry run: nothing was sent' };
      case 'adhoc': {
        const recipients: Recipient[] = [];
        for (const email of adHoc!) recipients.push({ email, unsubscribeUrl: unsubscribeUrl(ctx, await ctx.store.findSubscriber(email)) });
        return { ...result, delivery: await sendAdHoc(recipients, build, transport) };
      }
      case 'nobody':
        return { ...result, note: 'no confirmed subscribers: nothing was sent (add one with `marketwrap subscribers add`)' };
      case 'sample': {
        const sample = await sendAdHoc([{ email: ctx.sender.email, unsubscribeUrl: unsubscribeUrl(ctx, undefined) }], build, transport);
        return { ...result, delivery: sample, note: `no confirmed subscribers yet: a sample copy went to ${ctx.sender.email}` };
      }
      case 'queue-and-send': {
        // Workers elsewhere read the edition from the database, so it is there before any row is.
        await ctx.store.saveSendable(id, sendableJson({ ...built, id }));
        // Claim and queue in one transaction: a failure here leaves the edition unclaimed, to be sent again.
        const queued = await ledger.beginAndQueue(id, processOwner(), ctx.clock());
        if (queued === undefined) throw new SendRefused(`edition ${id} was claimed by another sender a moment ago: not sending it twice`);
        if (queued === 0) throw new Error(`edition ${id}: nothing was queued although the list has confirmed subscribers; run the digest again`);
        if (options.queueOnly) return { ...result, note: `queued for ${queued} subscribers: \`marketwrap worker\` processes send it` };
        return { ...result, delivery: await sendList(ctx, id, build, options) };
      }
    }
  },
};

/** --new-edition: the first free `<week>-<n>` (2026-W47-2, -3, ...). */
function nextEditionId(weekId: string, taken: readonly string[]): string {
  const used = new Set(taken);
  let n = 2;
  let id = weekId;
  while (used.has(id)) id = `${weekId}-${n++}`;
  return id;
}

/** The list send of edition `id`: any number of these, in any processes, share its ledger and its rate. */
export function sendList(ctx: Context, id: string, build: ReturnType<typeof messageFactory>, options: Pick<DigestOptions, 'signal' | 'onProgress'>): Promise<DeliverySummary> {
  const { delivery } = ctx.config;
  return sendToList({
    ledger: ctx.ledger,
    editionId: id,
    owner: processOwner(),
    build,
    unsubscribeUrl: (subscriber) => unsubscribeUrl(ctx, subscriber),
    transport: ctx.listTransport(),
    // The buckets live in the database: a worker sending the same edition shares the one rate.
    rate: tokenBucket(delivery.ratePerSecond, delivery.ratePerHour, (name, update) => ctx.ledger.updateShared(name, update)),
    policy: { ...delivery, inFlight: delivery.connections * 2 },
    clock: ctx.clock,
    signal: options.signal,
    onProgress: options.onProgress,
  });
}

/** --resume and --retry-failed: the saved edition, to the rows the ledger still owes. */
async function continueEdition(ctx: Context, options: DigestOptions): Promise<DigestResult> {
  const { ledger } = ctx;
  const id = options.editionId ?? editionIdFor(resolveAsOf(options.asOf, ctx.clock()));
  const state = await ledger.editionState(id);
  if (!state?.send_started_at) throw new SendRefused(`edition ${id} was never sent: run without --resume or --retry-failed`);
  const edition = await savedEdition(ctx, id);
  if (ctx.env.SMTP_URL && edition.demo && !options.allowDemoData) {
    throw new SendRefused(`not sending ${id} over SMTP: it was built from demo data; pass --allow-demo-data to send it anyway`);
  }
  if (options.retryFailed) await ledger.requeueTemporary(id, ctx.clock());
  // An edition claimed with no rows (a queueing that failed before claim and queue were one transaction) is queued now.
  if ((await ledger.counts(id)).total === 0) await ledger.queueAll(id, ctx.clock());
  const build = messageFactory(edition, ctx.sender, ctx.clock(), ctx.dkim, ctx.proofKey);
  return {
    editionId: id,
    asOf: edition.asOf,
    subject: edition.subject,
    demo: edition.demo,
    files: editionFiles(ctx.editionsDir, id),
    htmlBytes: Buffer.byteLength(edition.html),
    dataNotes: [],
    delivery: await sendList(ctx, id, build, options),
  };
}
