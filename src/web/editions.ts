/**
 * What the site shows of editions beyond their rows: the archive's lines (a second edition of a week
 * told apart, demo data labelled), the edition page (the email's web version with the site's own parts
 * added) and the sample shown before anything has gone out.
 */
import type { Newsletter } from '../config/newsletter.js';
import type { EditionRow } from '../db/index.js';
import { type BuildContext, buildEdition } from '../edition/build.js';
import { personalizer, pointChartsAt } from '../render/index.js';
import type { Pages } from './pages.js';

/**
 * The site's sentence for an address the schema refused, by the zod issue's code: the schema's own
 * messages ("is not a valid email address") are fragments the CLI puts after the address it quotes.
 */
export function addressProblem(code: string): string {
  const problem =
    code === 'too_big' ? 'That address is longer than 254 characters.' : code === 'custom' ? 'That address contains control characters.' : 'That is not an email address.';
  return `${problem} Please enter one like name@example.com.`;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];
/** `2026-W48-2` is the second edition of `2026-W48` (see edition-id.ts); the week's own id is the first. */
const editionNumber = (id: string) => Number(/-(\d{1,3})$/.exec(id)?.[1] ?? 1);
const weekOf = (id: string) => id.replace(/-\d{1,3}$/, '');

export interface ArchiveRow extends EditionRow {
  /** "second" when the week has more than one edition; undefined otherwise. */
  ordinal?: string;
  /** When it went out, in the newsletter's time zone ("Sat, Nov 28, 3:00 PM ET"). */
  sent: string;
}

/** The archive's rows: two editions of one week read as the first and the second, with when each went out. */
export function archiveRows(rows: readonly EditionRow[], config: Pick<Newsletter, 'locale' | 'timeZone'>): ArchiveRow[] {
  const perWeek = new Map<string, number>();
  for (const row of rows) perWeek.set(weekOf(row.id), (perWeek.get(weekOf(row.id)) ?? 0) + 1);
  const when = new Intl.DateTimeFormat(config.locale, {
    timeZone: config.timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'shortGeneric',
  });
  return rows.map((row) => {
    const n = editionNumber(row.id);
    const ordinal = (perWeek.get(weekOf(row.id)) ?? 0) > 1 ? (ORDINALS[n - 1] ?? `no. ${n}`) : undefined;
    return { ...row, ordinal, sent: row.sent_at ? when.format(new Date(row.sent_at)) : '' };
  });
}

/** The email's web version with the site's navigation and label at the top and the subscribe form at the foot. */
export function editionPage(page: Pages, html: string, data: { label?: { heading: string; text: string }; formToken: string }): string {
  const top = page.fragment('edition-top', data);
  const bottom = page.fragment('edition-bottom', data);
  const withTop = /<body[^>]*>/i.test(html) ? html.replace(/<body[^>]*>/i, (tag) => `${tag}\n${top}`) : `${top}${html}`;
  return /<\/body>/i.test(withTop) ? withTop.replace(/<\/body>/i, () => `${bottom}\n</body>`) : `${withTop}${bottom}`;
}

/**
 * The sample before any real edition has gone out: an edition built from demo data on first request and
 * kept (it takes a second or two), its charts inline, its recipient parts made general.
 */
export function demoSample(ctx: BuildContext): () => Promise<string> {
  let built: Promise<string> | undefined;
  return () => {
    built ??= buildEdition(ctx, { data: 'demo' }).then((edition) => {
      const pngs = new Map(edition.charts.map((c) => [c.name, c.png.toString('base64')]));
      const general = personalizer(edition.web.html, 'html')({ email: 'your address', unsubscribeUrl: `${ctx.env.PUBLIC_URL}/unsubscribe` });
      return pointChartsAt(general, (name) => (pngs.has(name) ? `data:image/png;base64,${pngs.get(name)}` : undefined));
    });
    // A failed build is not kept: the next visitor tries again.
    built.catch(() => {
      built = undefined;
    });
    return built;
  };
}
