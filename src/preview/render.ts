/**
 * Renders one studio item exactly as subscribers get it (same build, same templates), with the
 * recipient parts filled by sample values, plus checks and the "why". Errors come back as data
 * (file, line, message) so a bad edit shows an overlay instead of killing the server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildContext, buildEdition } from '../edition/build.js';
import { everyPhrasing, helperRoot, loadCommentaryTemplates, SIGNAL_KINDS } from '../commentary/index.js';
import { TemplateError } from '../templating/handlebars.js';
import { escapeHtml } from '../shared/escape.js';
import { formatChange, formatLevel } from '../shared/format.js';
import { loadNewsletter } from '../config/newsletter.js';
import { messageFactory, rawMessage } from '../delivery/index.js';
import { personalizer, pointChartsAt, renderTransactional } from '../render/index.js';
import { CONFIRM_TTL_DAYS } from '../subscribers/index.js';
import { checkEmail, sizeBadge, type Check } from './checks.js';
import { explainRules, type RuleExplanation } from './why.js';
import { isFailure, messageOf } from '../shared/errors.js';

export interface StudioItem {
  id: string;
  label: string;
}

export function studioItems(): StudioItem[] {
  return [
    { id: 'digest', label: 'Weekly digest' },
    { id: 'confirm', label: 'Confirmation email' },
    { id: 'welcome', label: 'Welcome email' },
    ...SIGNAL_KINDS.map((kind) => ({ id: `commentary:${kind}`, label: `Commentary: ${kind}` })),
  ];
}

export interface RenderRequest {
  item: string;
  /** demo:<scenario>, or "cache" for cached live data (no network). */
  data: string;
  asOf?: string;
}

export type RenderResult =
  | {
      /** bytes: the HTML as Gmail measures it (charts are CID parts, not inside it); messageBytes: the whole MIME message. */
      ok: true;
      subject: string;
      html: string;
      text: string;
      bytes: number;
      messageBytes: number;
      badge: 'green' | 'amber' | 'red';
      checks: Check[];
      why?: {
        rules: RuleExplanation[];
        headline: string;
        warnings: string[];
        numbers: Array<{ symbol: string; name: string; last: string; changes: Record<string, string>; source: string }>;
      };
    }
  | { ok: false; error: { file?: string; line?: number; message: string } };

const SAMPLE = { email: 'reader@example.com' };

/** Errors as the overlay shows them: which file, which line, what. */
export function describeError(error: unknown, configFile: string): { file?: string; line?: number; message: string } {
  if (error instanceof TemplateError) return { file: error.file, line: error.line, message: error.message };
  const message = messageOf(error) ?? String(error);
  if (isFailure(error, 'CONFIG_INVALID', 'CONFIG_NOT_JSON')) {
    // JSON.parse says where (newer V8: "line N column M"; older: "position N"); zod errors name the field.
    const stated = /\(line (\d+) column \d+\)/.exec(message);
    const position = /position (\d+)/.exec(message);
    const line = stated ? Number(stated[1]) : position && existsSync(configFile) ? readFileSync(configFile, 'utf8').slice(0, Number(position[1])).split('\n').length : undefined;
    return { file: configFile, line, message };
  }
  const located = /^(\/[^:]+\.(?:mjml|hbs)):?\s*(?:invalid MJML: )?line (\d+)/.exec(message) ?? /^(\/[^:]+\.(?:mjml|hbs))/.exec(message);
  if (located) return { file: located[1], line: located[2] ? Number(located[2]) : undefined, message };
  return { message };
}

/** The digest the studio shows (and test-sends): cached data never reaches for the network. */
export function studioEdition(ctx: BuildContext, request: RenderRequest) {
  return buildEdition(ctx, { asOf: request.asOf, data: request.data === 'cache' ? 'live' : request.data, offline: true, allowDemoFallback: false });
}

export async function renderItem(base: BuildContext, request: RenderRequest): Promise<RenderResult> {
  try {
    // The config file is read on every render: an edit shows at once.
    const ctx: BuildContext = { ...base, config: loadNewsletter(base.env.CONFIG_FILE) };
    if (request.item === 'confirm' || request.item === 'welcome') return await transactionalItem(ctx, request.item);
    if (request.data === 'cache' && (await ctx.store.cachedSources()).length === 0) {
      // Not a skeleton email with every figure missing: say what would fill it.
      return { ok: false, error: { message: 'No live data is cached yet: run `marketwrap data fetch` (it needs the network), or pick a demo scenario' } };
    }
    const edition = await studioEdition(ctx, request);
    if (request.item.startsWith('commentary:')) return commentaryItem(ctx, edition, request.item.slice('commentary:'.length));
    return digestItem(ctx, edition);
  } catch (error) {
    return { ok: false, error: describeError(error, base.env.CONFIG_FILE) };
  }
}

type Rendered = Extract<RenderResult, { ok: true }>;
type StudioEdition = Awaited<ReturnType<typeof studioEdition>>;
const PREVIEW_UNSUBSCRIBE = (ctx: BuildContext) => `${ctx.env.PUBLIC_URL}/unsubscribe?token=preview`;

async function transactionalItem(ctx: BuildContext, item: 'confirm' | 'welcome'): Promise<Rendered> {
  const mail = await renderTransactional(ctx.templatesDir, item, {
    title: ctx.config.title,
    tagline: ctx.config.tagline,
    email: SAMPLE.email,
    postalAddress: ctx.config.postalAddress,
    confirmUrl: `${ctx.env.PUBLIC_URL}/confirm?token=preview`,
    days: String(CONFIRM_TTL_DAYS),
    archiveUrl: `${ctx.env.PUBLIC_URL}/archive`,
    unsubscribeUrl: PREVIEW_UNSUBSCRIBE(ctx),
  });
  const bytes = Buffer.byteLength(mail.html);
  return {
    ok: true,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    bytes,
    messageBytes: bytes,
    badge: sizeBadge(bytes),
    checks: checkEmail(mail.html, ctx.env.PUBLIC_URL),
  };
}

/** Every phrasing of one kind's templates, each on its own with nothing told before it: every figure shows. */
function commentaryItem(ctx: BuildContext, edition: StudioEdition, kind: string): Rendered {
  const templates = loadCommentaryTemplates(join(ctx.templatesDir, 'commentary'));
  const t = templates.get(kind as (typeof SIGNAL_KINDS)[number]);
  if (!t) throw new Error(`no commentary kind ${kind}`);
  const root = () => helperRoot(edition.analysis, ctx.config);
  const blocks = edition.analysis.signals
    .filter((s) => s.kind === kind)
    .flatMap((signal) => [
      `<h2>${escapeHtml(signal.id)}</h2>`,
      ...(['title', 'headline', 'lede', 'detail'] as const).flatMap((block) =>
        everyPhrasing(t, signal, block, root).map((text, i) => `<p><strong>${block[0]!.toUpperCase()}${block.slice(1)} ${i + 1}:</strong> ${escapeHtml(text)}</p>`),
      ),
    ]);
  const html = `<!doctype html><html lang="en"><body style="font-family:sans-serif;max-width:640px;margin:auto">${blocks.join('\n') || `<p>No ${escapeHtml(kind)} signal fired with this data: pick another scenario.</p>`}</body></html>`;
  const text = html
    .replace(/<[^>]+>/g, '\n')
    .replace(/\n+/g, '\n')
    .trim();
  const bytes = Buffer.byteLength(html);
  return { ok: true, subject: `Commentary: ${kind}`, html, text, bytes, messageBytes: bytes, badge: sizeBadge(bytes), checks: [] };
}

/** The digest as a subscriber gets it, with the charts inline (an iframe cannot resolve cid: links) and why it says what it says. */
function digestItem(ctx: BuildContext, edition: StudioEdition): Rendered {
  const fields = { email: SAMPLE.email, unsubscribeUrl: PREVIEW_UNSUBSCRIBE(ctx) };
  const emailHtml = personalizer(edition.html, 'html')(fields);
  const pngs = new Map(edition.charts.map((c) => [c.name, c.png.toString('base64')]));
  const bytes = Buffer.byteLength(emailHtml);
  const { commentary } = edition;
  return {
    ok: true,
    subject: edition.subject,
    html: pointChartsAt(emailHtml, (name) => (pngs.has(name) ? `data:image/png;base64,${pngs.get(name)}` : undefined)),
    text: personalizer(edition.text, 'text')(fields),
    // Gmail clips on the HTML; the whole message (charts included) is shown apart.
    bytes,
    messageBytes: Buffer.byteLength(rawMessage(messageFactory(edition, ctx.sender, ctx.clock(), ctx.dkim, ctx.proofKey)(fields))),
    badge: sizeBadge(bytes),
    // The raw layout output is checked (it still holds the recipient tokens, which are allowed).
    checks: checkEmail(edition.html, ctx.env.PUBLIC_URL),
    why: {
      rules: explainRules(ctx.config.rules, edition.analysis, commentary.ranking),
      headline: commentary.headline,
      warnings: edition.snapshot.issues.map((i) => i.message),
      numbers: [...edition.analysis.metrics.values()].map((m) => ({
        symbol: m.symbol,
        name: m.shortName,
        source: m.source,
        last: m.last ? formatLevel(m.last.close, m.unit) : '—',
        changes: Object.fromEntries(Object.entries(m.windows).map(([w, c]) => [w, formatChange(c.change, m.unit)])),
      })),
    },
  };
}
