/**
 * Review before the send (schedule.approval, schedule.buildAhead): the edition is built ahead, checked,
 * saved as a draft and mailed to the publisher (PUBLISHER_EMAIL) as readers will get it, with signed
 * single-use links to approve or hold it. "required": nothing goes to the list until it is approved;
 * "auto": it goes at its send time unless held, and a failed check holds it. What goes out is the draft
 * the publisher saw, with their note and subject: never a rebuild.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { editionFiles, parseSendable, type SavedEdition, sendableJson, writeEditionFiles } from '../src/edition/archive.js';
import type { Edition } from '../src/edition/build.js';
import type { EditionReviewRow } from '../src/db/types.js';
import { messageFactory, processOwner, sendAdHoc } from '../src/delivery/index.js';
import { checkSendable, type SendTerms } from '../src/delivery/terms.js';
import { reviewUrl } from '../src/desk/links.js';
import { htmlWithNote, type Review, textWithNote, withReview } from '../src/desk/note.js';
import { editionIdFor } from '../src/edition/id.js';
import { fail, isFailure } from '../src/shared/errors.js';
import { escapeHtml } from '../src/shared/escape.js';
import { lastCompletedWeekEnd } from '../src/market/calendar.js';
import { withoutWebLink } from '../src/render/web-link.js';
import { unsubscribeUrl } from '../src/subscribers/index.js';
import { nextEditionAt } from '../src/web/next-edition.js';
import { type DigestContext, type DigestOptions, type DigestResult, judge, savedEdition, sendEdition } from './weekly-digest.js';

/** How long after its send time a draft is still sent when approved (or, under "auto", at all). */
const STALE_MS = 6 * 24 * 3600_000;

/** The week's draft built for review, if its send has not started. */
export async function reviewedDraft(ctx: DigestContext, id: string): Promise<EditionReviewRow | undefined> {
  const row = await ctx.store.editionReview(id);
  return row?.review_key && (row.state === 'draft' || row.state === 'approved' || row.state === 'held') ? row : undefined;
}

/** Why the publisher's word keeps a draft from the list now (undefined: it may go). */
export function reviewBlock(approval: 'auto' | 'required', row: Pick<EditionReviewRow, 'id' | 'state' | 'held_reason' | 'reviewed_by'>): string | undefined {
  const approve = `approve it with \`marketwrap editions approve ${row.id}\`, the link in the review email or the desk`;
  if (row.state === 'held') return `not sending ${row.id}: it is held (${row.held_reason ?? 'no reason given'}${row.reviewed_by ? `, by ${row.reviewed_by}` : ''}); ${approve}`;
  if (row.state === 'draft' && approval === 'required') return `not sending ${row.id}: approval is required and it awaits the publisher; ${approve}`;
  return undefined;
}

/** Saves a built edition as a draft (row, files, what senders read, the review) and mails it to the publisher. */
export async function draftForReview(
  ctx: DigestContext,
  built: Edition,
  terms: SendTerms,
  draft: { checks: string[]; sendAt: Date; heldBecause?: string },
): Promise<EditionReviewRow> {
  const now = ctx.clock();
  await ctx.store.saveEdition({ id: built.id, asOf: built.asOf, subject: built.subject, headline: built.commentary.headline, demo: built.snapshot.demo }, now);
  const json = sendableJson(built, terms);
  await ctx.store.saveSendable(built.id, json);
  writeEditionFiles(built, ctx.editionsDir, terms);
  const reviewKey = randomBytes(16).toString('hex');
  const saved = await ctx.store.saveDraft(built.id, { reviewKey, checks: draft.checks, sendAt: draft.sendAt.toISOString(), heldBecause: draft.heldBecause }, now);
  if (!saved) throw fail('SEND_REFUSED', { reason: `edition ${built.id} began to be sent meanwhile: its draft is not replaced` });
  const row = (await ctx.store.editionReview(built.id))!;
  await mailPublisher(ctx, parseSendable(built.id, json), row);
  return row;
}

/** The schedule's list send under approval "required", with no draft yet: the publisher gets one. */
export async function awaitApproval(ctx: DigestContext, built: Edition, terms: SendTerms, checks: string[], result: DigestResult): Promise<DigestResult> {
  await draftForReview(ctx, built, terms, { checks, sendAt: ctx.clock() });
  return { ...result, note: `${reviewBlock('required', { id: built.id, state: 'draft', held_reason: null, reviewed_by: null })}` };
}

/** The review email: the message as readers will get it, under a banner with the checks and the two links. */
async function mailPublisher(ctx: DigestContext, saved: SavedEdition, row: EditionReviewRow): Promise<void> {
  const to = ctx.env.PUBLISHER_EMAIL;
  if (!to) {
    ctx.log.warn({ edition: row.id }, 'PUBLISHER_EMAIL is not set: the draft is saved for review (`marketwrap editions show`) but mailed to nobody');
    return;
  }
  const links = {
    approve: reviewUrl(ctx.env.PUBLIC_URL, ctx.secretKey, row.id, 'approve', row.review_key!),
    hold: reviewUrl(ctx.env.PUBLIC_URL, ctx.secretKey, row.id, 'hold', row.review_key!),
  };
  const shown = withoutWebLink(withReview(saved, { note: row.note, subject: row.subject_override }));
  const banner = reviewBanner(ctx, row, links);
  const copy = {
    ...shown,
    subject: `${row.state === 'held' ? 'Held' : 'For review'}: ${shown.subject}`,
    html: shown.html.replace(/<body[^>]*>/, (body) => `${body}${banner.html}`),
    text: `${banner.text}\n\n${shown.text}`,
  };
  const build = messageFactory(copy, saved.terms?.sender ?? ctx.sender, ctx.clock(), ctx.dkim, ctx.proofKey);
  const sent = await sendAdHoc([{ email: to, unsubscribeUrl: unsubscribeUrl(ctx, undefined) }], build, ctx.transport());
  if (sent.failed > 0) ctx.log.error({ edition: row.id, to }, 'the review email could not be sent: review it with `marketwrap editions show`');
}

function reviewBanner(ctx: DigestContext, row: EditionReviewRow, links: { approve: string; hold: string }): { html: string; text: string } {
  const checks = row.checks ? (JSON.parse(row.checks) as string[]) : [];
  const when = row.send_at ? `It goes to the list at ${row.send_at}` : 'It goes to the list when it is sent';
  const rule =
    row.state === 'held'
      ? `Held: ${row.held_reason}. Nothing goes to the list unless you approve it.`
      : ctx.config.schedule.approval === 'required'
        ? `${when}, once you approve it: nothing goes out before.`
        : `${when} unless you hold it.`;
  const found = checks.length ? `Checks found ${checks.length}: ${checks.join('; ')}` : 'Every check passed.';
  const cli = `On the server: marketwrap editions approve ${row.id} [--note TEXT] [--subject TEXT], or marketwrap editions hold ${row.id}`;
  const p = (text: string) => `<p style="margin:0 0 8px;">${escapeHtml(text)}</p>`;
  const html =
    `<div class="mw-review" style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#102a43;background:#fffbea;border-bottom:3px solid #b44d12;padding:16px 20px;">` +
    `${p(`Edition ${row.id}, for your review. ${rule}`)}${p(found)}` +
    `<p style="margin:8px 0;"><a href="${escapeHtml(links.approve)}" style="font-weight:700;color:#102a43;">Approve</a> &nbsp;·&nbsp; <a href="${escapeHtml(links.hold)}" style="font-weight:700;color:#102a43;">Hold</a></p>` +
    `${p(cli)}</div>`;
  const text = [`Edition ${row.id}, for your review. ${rule}`, found, `Approve: ${links.approve}`, `Hold: ${links.hold}`, cli, '----'].join('\n');
  return { html, text };
}

/** The reviewed draft to the list: the publisher's note and subject applied once, then claimed, queued and sent. */
export async function sendReviewed(ctx: DigestContext, row: EditionReviewRow, options: DigestOptions): Promise<DigestResult> {
  const blocked = reviewBlock(ctx.config.schedule.approval, row);
  if (blocked) throw fail('SEND_REFUSED', { reason: blocked });
  const review: Review = { note: row.note, subject: row.subject_override };
  const final = withReview(await savedEdition(ctx, row.id), review);
  // Refused before the claim (demo data over SMTP, other settings than it was built with): nothing is queued.
  checkSendable(ctx, final, options);
  await ctx.store.saveEdition({ id: row.id, asOf: row.as_of, subject: final.subject, headline: row.headline ?? final.subject, demo: row.demo === 1 }, ctx.clock());
  await ctx.store.saveSendable(row.id, sendableFrom(final));
  // The claim is refused to a held edition, and to a build other than the one read above (a rebuild is a
  // new draft, unreviewed): a hold or a rebuild that lands now stops it, whoever is first.
  const queued = await ctx.ledger.beginAndQueue(row.id, processOwner(), ctx.clock(), row.review_key ?? undefined);
  if (queued === undefined) throw fail('SEND_REFUSED', { reason: `edition ${row.id} was held, rebuilt or claimed by another sender a moment ago: not sending it` });
  noteInFiles(ctx.editionsDir, row.id, review, final.lede);
  const files = editionFiles(ctx.editionsDir, row.id);
  const result = { editionId: row.id, asOf: final.asOf, subject: final.subject, demo: final.demo, files, htmlBytes: Buffer.byteLength(final.html), dataNotes: [] };
  if (options.queueOnly) return { ...result, findings: [], note: `queued for ${queued} subscribers: \`marketwrap worker\` processes send it` };
  return { ...result, findings: [], delivery: await sendEdition(ctx, row.id, await savedEdition(ctx, row.id), options) };
}

/** The sendable document again, from an edition read back (charts as base64). */
function sendableFrom(edition: SavedEdition): string {
  return JSON.stringify({ ...edition, charts: edition.charts.map((c) => ({ ...c, png: c.png.toString('base64') })) });
}

/** The archive's copies (the email and the reader's web version) with the note, as they were sent. */
function noteInFiles(dir: string, id: string, review: Review, lede: string | undefined): void {
  if (!review.note) return;
  const files = editionFiles(dir, id);
  for (const file of [files.html, files.webHtml]) if (existsSync(file)) writeFileSync(file, htmlWithNote(readFileSync(file, 'utf8'), review.note));
  for (const file of [files.text, files.webText]) if (existsSync(file)) writeFileSync(file, textWithNote(readFileSync(file, 'utf8'), review.note, lede));
}

/** Builds the edition due at `sendAt` (the week it closes, or the given one), checks it, and drafts it for review. */
export async function prepareDraft(
  ctx: DigestContext,
  sendAt: Date,
  options: Pick<DigestOptions, 'allowDemoData' | 'data'> & { id?: string; asOf?: string; stillHeld?: string } = {},
): Promise<EditionReviewRow> {
  const asOf = options.asOf ?? lastCompletedWeekEnd(sendAt);
  const built = await ctx.buildEdition({ asOf, data: options.data, editionId: options.id ?? editionIdFor(asOf), allowDemoFallback: true });
  const judged = await judge(ctx, built, 'list', { ...options, via: 'schedule' });
  const failed = failedCheck(judged);
  const heldBecause = (failed && ctx.config.schedule.approval === 'auto' ? failed : undefined) ?? options.stillHeld;
  return draftForReview(ctx, built, judged.terms, { checks: failed && judged.checks.length === 0 ? [failed] : judged.checks, sendAt, heldBecause });
}

/**
 * A draft (a held one, say) built again with the newest data: a new review email with new links, the
 * note and subject kept. A held edition stays held until approved: a rebuild alone never sends it.
 */
export async function rebuildDraft(ctx: DigestContext, id: string, options: Pick<DigestOptions, 'allowDemoData' | 'data'> = {}): Promise<EditionReviewRow> {
  const { showEdition } = await import('../src/desk/editions.js');
  const edition = await showEdition(ctx, id);
  if (edition.state === 'sending' || edition.state === 'sent')
    throw fail('SEND_REFUSED', { reason: `cannot rebuild ${edition.id}: it ${edition.state === 'sent' ? 'was sent' : 'is being sent'}` });
  const sendAt = edition.sendAt && Date.parse(edition.sendAt) > ctx.clock().getTime() ? new Date(edition.sendAt) : ctx.clock();
  const stillHeld = edition.state === 'held' ? `rebuilt with newer data after it was held (${edition.heldReason}): approve it to send it` : undefined;
  return prepareDraft(ctx, sendAt, { ...options, id: edition.id, asOf: edition.asOf, stillHeld });
}

/** What a fresh build failed, in the words the publisher reads (undefined: nothing). */
function failedCheck({ decision, checks, findings, placeholders }: Awaited<ReturnType<typeof judge>>): string | undefined {
  if (decision.action !== 'refuse') return undefined;
  if (decision.because === 'findings') return `its copy failed ${findings.length === 1 ? 'a check' : `${findings.length} checks`}: ${findings.join('; ')}`;
  if (decision.because === 'data-issues') return `the market data failed its guards: ${checks.join('; ')}`;
  if (decision.because === 'placeholders') return `settings are still at their placeholders: ${placeholders.join('; ')}`;
  return decision.because === 'demo-over-smtp' ? 'it was built from demo data, which never goes to the list over SMTP' : decision.because;
}

/**
 * One look at the desk's clock (serve runs it every minute; tests call it with their clock): builds the
 * next edition once it is within buildAhead of its send time, and sends every draft whose time has come
 * and whose review allows it (an approval after the send time sends it at once).
 */
export async function deskTick(ctx: DigestContext, options: Pick<DigestOptions, 'allowDemoData' | 'data'> = {}): Promise<string[]> {
  const now = ctx.clock();
  const done: string[] = [];
  // Strictly ahead: at the send time itself the schedule's own run builds and sends.
  const next = nextEditionAt(ctx.config, now);
  if (next && next.getTime() - now.getTime() <= ctx.config.schedule.buildAhead) {
    const id = editionIdFor(lastCompletedWeekEnd(next));
    const row = await ctx.store.editionReview(id);
    if (!row?.review_key && row?.send_started_at == null) done.push(`drafted ${(await prepareDraft(ctx, next, options)).id} for review`);
  }
  for (const row of await ctx.store.editionReviews()) {
    if (!row.review_key || !row.send_at || (row.state !== 'approved' && row.state !== 'draft')) continue;
    const due = Date.parse(row.send_at);
    if (due > now.getTime() || now.getTime() - due > STALE_MS || reviewBlock(ctx.config.schedule.approval, row)) continue;
    try {
      const result = await sendReviewed(ctx, row, options);
      done.push(`sent ${row.id}: ${result.delivery?.sent ?? 0} sent, ${result.delivery?.failed ?? 0} failed`);
    } catch (error) {
      // Another sender (the schedule's run, a worker) claimed it first, or it was held a moment ago.
      if (!isFailure(error, 'SEND_REFUSED')) throw error;
      done.push(error.message);
    }
  }
  return done;
}
