/**
 * The weekly job: build this week's edition and deliver it to the list, once. `marketwrap digest`
 * runs it now; `serve` runs it on the config's cron and resumes an interrupted send at start-up.
 */
import { editionFiles, parseSendable, readSavedEdition, type SavedEdition, sendableJson, writeEditionFiles, type EditionFiles } from '../src/edition/archive.js';
import { resolveAsOf } from '../src/edition/as-of.js';
import type { Edition } from '../src/edition/build.js';
import type { ContextUsing } from '../src/shared/context.js';
import type { Ledger, StorePart } from '../src/db/index.js';
import { fail } from '../src/shared/errors.js';
import { messageFactory, processOwner, sendAdHoc, sendToList, tokenBucket, type DeliverySummary, type Recipient } from '../src/delivery/index.js';
import { decideSend, placeholderRefusal, placeholderSettings } from '../src/delivery/policy.js';
import { checkSendable, currentTerms, type SendTerms, smtpOnLoopback } from '../src/delivery/terms.js';
import { editionIdFor } from '../src/edition/id.js';
import { reviewFindings } from '../src/commentary/findings.js';
import { lastCompletedWeekEnd } from '../src/market/calendar.js';
import { parseEmail, unsubscribeUrl } from '../src/subscribers/index.js';
import { testCopy } from '../src/render/web-link.js';
import { awaitApproval, draftForReview, reviewedDraft, sendReviewed } from './review.js';

/**
 * The job's part of the database: the edition as built and as sent, the recipients of a test send; the
 * edition's claim and rows, and what the list send asks of the ledger (declared by sendToList).
 */
type DigestStore = StorePart<'edition' | 'findSubscriber' | 'saveEdition' | 'saveSendable' | 'sendable' | 'editionReview' | 'editionReviews' | 'editionResults' | 'saveDraft'>;
type DigestLedger = Pick<Ledger, 'beginAndQueue' | 'confirmedCount' | 'counts' | 'editionState' | 'editionsInProgress' | 'queueAll' | 'requeueTemporary' | 'updateShared'> &
  Parameters<typeof sendToList>[0]['ledger'];
export type DigestContext = ContextUsing<DigestStore, DigestLedger>;

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
  /** Send to the list although the truth checks or the editor's lint found something in the copy. */
  sendDespiteChecks?: boolean;
  /** With --resume/--retry-failed: which edition (default: the week of --as-of, or the latest). */
  editionId?: string;
  /** Who asked: over HTTP (POST /admin/send) no flag can be passed, so a refusal says what to do there; the schedule tells the publisher. */
  via?: 'cli' | 'http' | 'schedule';
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
  /** What the truth checks and the editor's lint found in the copy (a list send is held on any). */
  findings: string[];
  delivery?: DeliverySummary & { sentTo?: Array<{ email: string; reply: string }> };
}

/**
 * The edition as it was first built: from the database (where any sender, on any machine, finds it),
 * or from the saved files for editions queued before it was kept there; a refusal (exit 3) says why not.
 */
export async function savedEdition(ctx: DigestContext, id: string): Promise<SavedEdition> {
  const json = await ctx.store.sendable(id);
  return json === undefined ? readSavedEdition(ctx.editionsDir, id) : parseSendable(id, json);
}

export const weeklyDigest = {
  name: 'weekly-digest',
  schedule: (ctx: DigestContext) => ({ cron: ctx.config.schedule.cron, timeZone: ctx.config.timeZone }),

  /** The edition of the week that `due` closes went out already (a missed-run catch-up must not repeat it). */
  async ranSince(ctx: DigestContext, due: Date): Promise<boolean> {
    return (await ctx.ledger.editionState(editionIdFor(lastCompletedWeekEnd(due))))?.send_started_at != null;
  },

  /** Editions whose send started and never finished (the process died): `serve` resumes them. */
  interrupted: (ctx: DigestContext): Promise<string[]> => ctx.ledger.editionsInProgress(),

  async run(ctx: DigestContext, options: DigestOptions = {}): Promise<DigestResult> {
    // Validate every input before anything is written.
    const adHoc = options.to?.map(parseEmail);
    if (options.resume || options.retryFailed) return continueEdition(ctx, options);
    const request = options.dryRun ? 'dry-run' : adHoc?.length ? 'adhoc' : 'list';
    const weekId = editionIdFor(resolveAsOf(options.asOf, ctx.clock()));
    const listSend = request === 'list' && !options.newEdition;
    // A draft built ahead for review goes as the publisher saw it (and as their word allows), not rebuilt.
    const reviewed = listSend ? await reviewedDraft(ctx, weekId) : undefined;
    if (reviewed) return sendReviewed(ctx, reviewed, options);
    const target = await editionToBuild(ctx, weekId, listSend);
    // A draft under review is what the publisher was shown: a list send of another build (--new-edition) never replaces it.
    const underReview = request === 'list' ? await reviewedDraft(ctx, target.id) : undefined;
    if (underReview) throw fail('SEND_REFUSED', { reason: reviewedElsewhere(underReview.id) });
    // Over SMTP the fallback to demo data is built too, and refused below by the policy (exit 3), with its notes.
    const built = await ctx.buildEdition({ ...options, editionId: target.id, allowDemoFallback: true });
    const { id } = target;
    // --new-edition asked for a new id: no need to say it got one.
    const instead = options.newEdition ? undefined : target.instead;
    const transport = ctx.transport();
    const judged = await judge(ctx, built, request, options);
    const { decision, findings, placeholders, terms } = judged;
    // A started edition is never rebuilt under its id (editionToBuild). A list send writes its files once
    // it has won the claim: a process that loses the race must not overwrite what the winner sends.
    const queueing = decision.action === 'queue-and-send';
    const files = queueing ? editionFiles(ctx.editionsDir, id) : writeEditionFiles(built, ctx.editionsDir, terms);
    const result: DigestResult = {
      editionId: id,
      asOf: built.asOf,
      subject: built.subject,
      demo: built.snapshot.demo,
      files,
      htmlBytes: Buffer.byteLength(built.html),
      dataNotes: built.snapshot.notes,
      findings,
      ...(instead ? { note: instead } : {}),
    };
    await ctx.store.saveEdition({ id, asOf: built.asOf, subject: built.subject, headline: built.commentary.headline, demo: built.snapshot.demo }, ctx.clock());
    if (decision.action === 'refuse') {
      const line = refusal(decision.because, built, files, { findings, placeholders }, options.via);
      // The schedule's list send: the publisher is told why it is held, and may approve it as it is.
      if (listSend && options.via === 'schedule' && isCheck(decision.because))
        await draftForReview(ctx, built, terms, { checks: judged.checks, sendAt: ctx.clock(), heldBecause: line });
      throw fail('SEND_REFUSED', { reason: line });
    }
    // With approval required the list gets nothing yet: the publisher gets the draft.
    if (queueing && ctx.config.schedule.approval === 'required') return awaitApproval(ctx, built, terms, judged.checks, result);
    // A test send or a sample of an edition the site does not serve yet goes without "View in browser".
    const build = messageFactory(await testCopy(ctx.store, { ...built, id }), terms.sender, ctx.clock(), ctx.dkim, ctx.proofKey);
    switch (decision.action) {
      case 'dry-run':
        return { ...result, note: [instead, 'dry run: nothing was sent'].filter(Boolean).join('; ') };
      case 'adhoc': {
        const recipients: Recipient[] = [];
        for (const email of adHoc!) recipients.push({ email, unsubscribeUrl: unsubscribeUrl(ctx, await ctx.store.findSubscriber(email)) });
        return { ...result, delivery: await sendAdHoc(recipients, build, transport) };
      }
      case 'nobody':
        return { ...result, note: 'no confirmed subscribers: nothing was sent (add one with `marketwrap subscribers add`)' };
      case 'sample': {
        const sample = await sendAdHoc([{ email: terms.sender.email, unsubscribeUrl: unsubscribeUrl(ctx, undefined) }], build, transport);
        return { ...result, delivery: sample, note: `no confirmed subscribers yet: a sample copy went to ${terms.sender.email}` };
      }
      case 'queue-and-send':
        return queueAndSend(ctx, built, terms, result, options);
    }
  },
};

/** Every check a fresh build gets, and what the policy decides from them. `checks`: the lines the publisher is shown. */
export async function judge(ctx: DigestContext, built: Edition, request: 'list' | 'adhoc' | 'dry-run', options: DigestOptions) {
  const terms = currentTerms(ctx, options.allowDemoData === true);
  const findings = reviewFindings(built.review);
  const placeholders = placeholderSettings({ senderEmail: terms.sender.email, postalAddress: terms.postalAddress, publicUrl: terms.publicUrl });
  const overSmtp = Boolean(ctx.env.SMTP_URL);
  const decision = decideSend({
    request,
    started: false,
    completed: false,
    dataIssues: built.snapshot.issues.length,
    demo: built.snapshot.demo,
    overSmtp,
    allowDemoData: options.allowDemoData === true,
    confirmed: await ctx.ledger.confirmedCount(),
    outbox: ctx.transport().kind === 'outbox',
    smtpLoopback: smtpOnLoopback(ctx.env.SMTP_URL),
    placeholders,
    findings: findings.length,
    sendDespiteFindings: options.sendDespiteChecks === true,
  });
  const checks = [...built.snapshot.issues.map((i) => i.message), ...findings];
  return { decision, findings, placeholders, terms, checks };
}

/** Refusals that are the edition's own checks (its data, its copy, its settings), which the publisher may overrule. */
const isCheck = (because: string) => because === 'data-issues' || because === 'findings' || because === 'demo-over-smtp' || because === 'placeholders';

/** Why a fresh edition is not sent, in one line; over HTTP it says what to do there (no flag can be passed). */
function refusal(because: string, built: Edition, files: EditionFiles, found: { findings: string[]; placeholders: string[] }, via: DigestOptions['via']): string {
  const { id, snapshot } = built;
  if (because === 'data-issues') return `not sending ${id}: ${snapshot.issues.map((i) => i.message).join('; ')} (the edition was saved to ${files.html} with these warnings)`;
  if (because === 'findings') {
    const all = found.findings;
    const anyway = via === 'http' ? 'or run `marketwrap digest --send-despite-checks` on the server' : 'or pass --send-despite-checks to send it as it is';
    return `not sending ${id}: its copy failed ${all.length === 1 ? 'a check' : `${all.length} checks`} (${all.slice(0, 3).join('; ')}${all.length > 3 ? '; ...' : ''}); read it at ${files.html}, fix the config or templates and run again, ${anyway}`;
  }
  if (because === 'placeholders') return placeholderRefusal(id, found.placeholders);
  const why = snapshot.notes.length > 0 ? ` (${snapshot.notes.join('; ')})` : '';
  const anyway =
    via === 'http'
      ? 'run `marketwrap digest --allow-demo-data` on the server to send it anyway (POST /admin/send never sends demo data over SMTP)'
      : 'pass --allow-demo-data to send it anyway';
  return `not sending ${id} over SMTP: it was built from demo data${why}; use live data, or ${anyway}`;
}

const reviewedElsewhere = (id: string) =>
  `not sending a new build of ${id}: its draft is under review; approve, hold or rebuild it (\`marketwrap editions approve|hold|rebuild ${id}\`, or the desk)`;

/**
 * The id a build of this week gets. A started edition is what subscribers got and what the archive
 * shows: it is never rebuilt under its id. A list send of it is refused; anything else (a dry run, a
 * test send, --new-edition) builds the week's next unstarted id (2026-W47-2), and says so.
 */
export async function editionToBuild(ctx: { ledger: Pick<Ledger, 'editionState' | 'counts'> }, weekId: string, listSend: boolean): Promise<{ id: string; instead?: string }> {
  const { ledger } = ctx;
  const state = await ledger.editionState(weekId);
  if (state?.send_started_at == null) return { id: weekId };
  if (listSend) {
    const c = await ledger.counts(weekId);
    const failed = c.failedTemporary + c.failedPermanent + c.failedAmbiguous;
    throw fail('EDITION_TAKEN', { id: weekId, state: state.send_completed_at ? 'was already sent' : 'is being sent or was interrupted', sent: c.sent, queued: c.queued, failed });
  }
  let n = 2;
  let id = `${weekId}-${n}`;
  while ((await ledger.editionState(id))?.send_started_at != null) id = `${weekId}-${++n}`;
  return { id, instead: `edition ${weekId} went out already and stays as it was sent: this build is ${id} (\`marketwrap digest --new-edition\` sends it)` };
}

/** Saves the edition with its terms where every sender finds it, claims and queues it in one transaction, and sends (or leaves it to workers). */
async function queueAndSend(ctx: DigestContext, built: Edition, terms: SendTerms, result: DigestResult, options: DigestOptions): Promise<DigestResult> {
  const { id } = built;
  // Workers elsewhere read the edition from the database, so it is there before any row is.
  await ctx.store.saveSendable(id, sendableJson(built, terms));
  // Claim and queue in one transaction: a failure here leaves the edition unclaimed, to be sent again.
  const queued = await ctx.ledger.beginAndQueue(id, processOwner(), ctx.clock());
  if (queued === undefined) throw fail('EDITION_CLAIMED_ELSEWHERE', { id });
  if (queued === 0) throw new Error(`edition ${id}: nothing was queued although the list has confirmed subscribers; run the digest again`);
  writeEditionFiles(built, ctx.editionsDir, terms);
  if (options.queueOnly) return { ...result, note: `queued for ${queued} subscribers: \`marketwrap worker\` processes send it` };
  return { ...result, delivery: await sendEdition(ctx, id, await savedEdition(ctx, id), options) };
}

/**
 * Every list send goes through here (digest, --resume, serve, workers): the edition as saved, checked
 * against this process's settings (checkSendable), built from its frozen sender.
 */
export function sendEdition(
  ctx: DigestContext,
  id: string,
  edition: SavedEdition,
  options: Pick<DigestOptions, 'signal' | 'onProgress' | 'allowDemoData'>,
): Promise<DeliverySummary> {
  const terms = checkSendable(ctx, edition, options);
  return sendList(ctx, id, messageFactory(edition, terms.sender, ctx.clock(), ctx.dkim, ctx.proofKey), options);
}

/** The list send of edition `id`: any number of these, in any processes, share its ledger and its rate. */
export function sendList(
  ctx: DigestContext,
  id: string,
  build: ReturnType<typeof messageFactory>,
  options: Pick<DigestOptions, 'signal' | 'onProgress'>,
): Promise<DeliverySummary> {
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
async function continueEdition(ctx: DigestContext, options: DigestOptions): Promise<DigestResult> {
  const { ledger } = ctx;
  const id = options.editionId ?? editionIdFor(resolveAsOf(options.asOf, ctx.clock()));
  const state = await ledger.editionState(id);
  if (!state?.send_started_at) throw fail('EDITION_NEVER_SENT', { id });
  const edition = await savedEdition(ctx, id);
  // Refused before any row is touched: a --retry-failed that cannot send leaves the failures as they were.
  checkSendable(ctx, edition, options);
  if (options.retryFailed) await ledger.requeueTemporary(id, ctx.clock());
  // An edition claimed with no rows (a queueing that failed before claim and queue were one transaction) is queued now.
  if ((await ledger.counts(id)).total === 0) await ledger.queueAll(id, ctx.clock());
  return {
    editionId: id,
    asOf: edition.asOf,
    subject: edition.subject,
    demo: edition.demo,
    files: editionFiles(ctx.editionsDir, id),
    htmlBytes: Buffer.byteLength(edition.html),
    dataNotes: [],
    // Its copy was judged when its send began.
    findings: [],
    delivery: await sendEdition(ctx, id, edition, options),
  };
}
