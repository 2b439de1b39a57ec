/**
 * The publisher's word carried into what readers get: their note above the lede (escaped: it is their
 * text, not markup) and their subject line. The layout leaves an empty marker where the note goes, so
 * a note written after the build needs no second build (whose data could differ from what was reviewed).
 */
import { escapeHtml } from '../escape.js';

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

/** An HTML copy with the note in place (none: unchanged). */
export function htmlWithNote(html: string, note: string | null): string {
  return note ? html.replace(NOTE_MARKER, () => noteHtml(note)) : html;
}

/** A text copy with the note in its own paragraph before the lede (or first, when the lede is not found). */
export function textWithNote(text: string, note: string | null, lede: string | undefined): string {
  if (!note) return text;
  const paragraph = `${NOTE_LABEL} ${note}`;
  // Applied once: a copy that has it already is left as it is.
  if (text.includes(paragraph)) return text;
  const at = lede ? text.indexOf(`\n${lede}`) : -1;
  return at === -1 ? `${paragraph}\n\n${text}` : `${text.slice(0, at + 1)}${paragraph}\n\n${text.slice(at + 1)}`;
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
