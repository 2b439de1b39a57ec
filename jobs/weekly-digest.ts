/**
 * The weekly job: build this week's edition and deliver it. `marketwrap digest` runs it now; `serve`
 * will schedule it on the config's cron.
 */
import { buildEdition, writeEditionFiles, type EditionFiles } from '../src/build.js';
import type { Context } from '../src/context.js';
import { deliver, messageFactory, type DeliverySummary, type Recipient } from '../src/delivery/index.js';
import { isoWeekId, lastCompletedSession } from '../src/market/calendar.js';
import { parseEmail, signToken } from '../src/subscribers/index.js';

export class SendRefused extends Error {
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
  delivery?: DeliverySummary;
}

export function unsubscribeUrl(ctx: Context, subscriberId: number | undefined): string {
  const base = ctx.env.PUBLIC_URL.replace(/\/$/, '');
  return subscriberId === undefined ? `${base}/unsubscribe` : `${base}/unsubscribe?token=${signToken(ctx.secretKey, 'unsubscribe', subscriberId)}`;
}

export const weeklyDigest = {
  name: 'weekly-digest',
  schedule: (ctx: Context) => ({ cron: ctx.config.schedule, timeZone: ctx.config.timeZone }),

  /** The edition of the week that `due` closes went out already (a missed-run catch-up must not repeat it). */
  ranSince(ctx: Context, due: Date): boolean {
    return ctx.store.edition(isoWeekId(lastCompletedSession(due)))?.sent_at != null;
  },

  async run(ctx: Context, options: DigestOptions = {}): Promise<DigestResult> {
    // Validate every input before anything is written.
    const adHoc = options.to?.map(parseEmail);
    const overSmtp = Boolean(ctx.env.SMTP_URL);
    const edition = await buildEdition(ctx, { ...options, allowDemoFallback: !overSmtp || options.allowDemoData === true });
    const files = writeEditionFiles(edition, ctx.editionsDir);
    ctx.store.saveEdition({ id: edition.id, asOf: edition.asOf, subject: edition.subject, headline: edition.commentary.headline, demo: edition.snapshot.demo }, ctx.clock());
    const result: DigestResult = {
      editionId: edition.id, asOf: edition.asOf, subject: edition.subject, demo: edition.snapshot.demo, files, htmlBytes: Buffer.byteLength(edition.html), dataNotes: edition.snapshot.notes,
    };
    if (options.dryRun) return { ...result, note: 'dry run: nothing was sent' };
    const issues = edition.snapshot.issues;
    if (issues.length > 0) {
      throw new SendRefused(`not sending ${edition.id}: ${issues.map((i) => i.message).join('; ')} (the edition was saved to ${files.html} with these warnings)`);
    }
    if (overSmtp && edition.snapshot.demo && !options.allowDemoData) {
      throw new SendRefused(`not sending ${edition.id} over SMTP: it was built from demo data (${edition.snapshot.source}); use live data, or pass --allow-demo-data to send it anyway`);
    }

    const transport = ctx.transport();
    let recipients: Recipient[];
    if (adHoc?.length) {
      recipients = adHoc.map((email) => ({ email, unsubscribeUrl: unsubscribeUrl(ctx, ctx.store.findSubscriber(email)?.id) }));
    } else {
      recipients = ctx.subscribers.recipients().map((s) => ({ email: s.email, subscriberId: s.id, unsubscribeUrl: unsubscribeUrl(ctx, s.id) }));
      if (recipients.length === 0) {
        if (transport.kind !== 'outbox') return { ...result, note: 'no confirmed subscribers: nothing was sent (add one with `marketwrap subscribers add`)' };
        // A newcomer with an empty list still sees the email: one sample copy to the sender, in the outbox.
        recipients = [{ email: ctx.sender.email, unsubscribeUrl: unsubscribeUrl(ctx, undefined) }];
        result.note = `no confirmed subscribers yet: a sample copy went to ${ctx.sender.email}`;
      }
    }
    const build = messageFactory(edition, ctx.sender);
    const toList = !adHoc?.length;
    result.delivery = await deliver({ editionId: edition.id, recipients, build, transport, store: toList ? ctx.store : undefined, clock: ctx.clock });
    // The web archive shows editions that went to the list.
    const listed = recipients.some((r) => r.subscriberId !== undefined);
    if (toList && listed && result.delivery.sent + result.delivery.skipped > 0) ctx.store.markEditionSent(edition.id, ctx.clock());
    return result;
  },
};
