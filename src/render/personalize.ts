/**
 * The per-recipient pass: the edition is rendered once with tokens, and each recipient costs only a
 * split-and-join of precomputed pieces (no template engine, no MJML).
 */
import { escapeHtml } from '../shared/escape.js';

export const RECIPIENT_TOKENS = { unsubscribeUrl: '{{unsubscribeUrl}}', email: '{{email}}' } as const;
export type RecipientSlot = keyof typeof RECIPIENT_TOKENS;
export type RecipientFields = Record<RecipientSlot, string>;
export type Personalizer = (fields: RecipientFields) => string;

const TOKEN = /\{\{(unsubscribeUrl|email)\}\}/g;

/** A document cut at its recipient tokens: the text between them, and which token stood in each gap. */
export function splitAtTokens(document: string): { pieces: string[]; slots: RecipientSlot[] } {
  const pieces: string[] = [];
  const slots: RecipientSlot[] = [];
  let last = 0;
  for (const match of document.matchAll(TOKEN)) {
    pieces.push(document.slice(last, match.index));
    slots.push(match[1] as RecipientSlot);
    last = match.index + match[0].length;
  }
  pieces.push(document.slice(last));
  return { pieces, slots };
}

/** Splits a document at its recipient tokens once; the returned function fills them. */
export function personalizer(document: string, mode: 'html' | 'text'): Personalizer {
  const { pieces, slots } = splitAtTokens(document);
  const encode = mode === 'html' ? escapeHtml : (text: string) => text;
  return (fields) => {
    let out = pieces[0]!;
    for (let i = 0; i < slots.length; i++) out += encode(fields[slots[i]!]) + pieces[i + 1]!;
    return out;
  };
}
