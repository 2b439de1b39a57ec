/**
 * The per-recipient pass: the edition is rendered once with tokens, and each recipient costs only a
 * split-and-join of precomputed pieces (no template engine, no MJML).
 */
export const RECIPIENT_TOKENS = { unsubscribeUrl: '{{unsubscribeUrl}}', email: '{{email}}' } as const;
export type RecipientFields = Record<keyof typeof RECIPIENT_TOKENS, string>;

const TOKEN = /\{\{(unsubscribeUrl|email)\}\}/g;

export interface Personalizer {
  (fields: RecipientFields): string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Splits a document at its recipient tokens once; the returned function fills them. */
export function personalizer(document: string, mode: 'html' | 'text'): Personalizer {
  const pieces: string[] = [];
  const slots: Array<keyof RecipientFields> = [];
  let last = 0;
  for (const match of document.matchAll(TOKEN)) {
    pieces.push(document.slice(last, match.index));
    slots.push(match[1] as keyof RecipientFields);
    last = match.index + match[0].length;
  }
  pieces.push(document.slice(last));
  const encode = mode === 'html' ? escapeHtml : (text: string) => text;
  return (fields) => {
    let out = pieces[0]!;
    for (let i = 0; i < slots.length; i++) out += encode(fields[slots[i]!]) + pieces[i + 1]!;
    return out;
  };
}
