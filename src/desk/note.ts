/**
 * The publisher's word carried into what readers get: their note above the lede (escaped: it is their
 * text, not markup) and their subject line. The layout leaves an empty marker where the note goes, so
 * a note written after the build needs no second build (whose data could differ from what was reviewed).
 */
import { escapeHtml } from '../shared/escape.js';

/** Where the layout (templates/digest.mjml) puts the note: empty in every build. */
export const NOTE_MARKER = '<div class="mw-note"></div>';

export const NOTE_LABEL = 'From the publisher:';

export interface Review {
  note: string | null;
  subject: string | null;
}

/** The note as the email and the web version show it. */
export function noteHtml(note: string): string {
  return `<div class="mw-note" style="margin:0 0 14px;padding:10px 14px;border-left:4px solid #486581;background:#f0f4f8;color:#102a43;"><p style="margin:0;"><strong>${NOTE_LABEL}</strong> ${escapeHtml(note)}</p></div>`;
}

/**
 * A note placed before (a sender whose claim a hold refused had written its copy with the note of
 * then), so a copy always gets the note of now: replaced, or removed for none. The note is escaped:
 * no "<" inside it ends the match early.
 */
const NOTE_BLOCK = new RegExp(`<div class="mw-note"[^>]*>(?:<p[^>]*><strong>${NOTE_LABEL}</strong> [^<]*</p>)?</div>`);
const NOTE_PARAGRAPH = new RegExp(`(^|\\n)${NOTE_LABEL} [^]*?\\n\\n`);

/** An HTML copy with the note in place (none: the empty marker). */
export function htmlWithNote(html: string, note: string | null): string {
  return html.replace(NOTE_BLOCK, () => (note ? noteHtml(note) : NOTE_MARKER));
}

/** A text copy with the note in its own paragraph before the lede (or first, when the lede is not found). */
export function textWithNote(text: string, note: string | null, lede: string | undefined): string {
  const bare = text.replace(NOTE_PARAGRAPH, '$1');
  if (!note) return bare;
  const paragraph = `${NOTE_LABEL} ${note}`;
  const at = lede ? bare.indexOf(`\n${lede}`) : -1;
  return at === -1 ? `${paragraph}\n\n${bare}` : `${bare.slice(0, at + 1)}${paragraph}\n\n${bare.slice(at + 1)}`;
}

/** The edition as reviewed: the publisher's subject and note over what was built. */
export function withReview<E extends { subject: string; html: string; text: string; lede?: string | undefined }>(edition: E, review: Review): E {
  return {
    ...edition,
    subject: review.subject ?? edition.subject,
    html: htmlWithNote(edition.html, review.note),
    text: textWithNote(edition.text, review.note, edition.lede),
  };
}
