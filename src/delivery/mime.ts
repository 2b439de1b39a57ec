/**
 * The whole MIME message, built once per edition. Static parts are quoted-printable encoded once,
 * split at the recipient tokens and kept as Buffers in the form SMTP's DATA carries them (CRLF lines,
 * dot-stuffed); per recipient only the tokens' values and the recipient's headers (To, Message-ID,
 * List-Unsubscribe) are encoded. A message is a list of those Buffers, shared by every recipient:
 * no template engine, no MIME library and no copy of the 170 KB on the hot path.
 */
import { randomBytes } from 'node:crypto';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import * as qp from 'nodemailer/lib/qp';
import MailComposer from 'nodemailer/lib/mail-composer';
import { escapeHtml } from '../shared/escape.js';
import { messageIdFor, type ProofKey, returnPathFor } from './proof.js';
import { bodyHasher, type DkimKey, dkimSignatureHeader, headerLines, signMessage } from './dkim.js';
// The modules themselves, not render/index.js: the sender must not load MJML or the chart renderer.
import { chartCid } from '../render/chart-refs.js';
import type { RenderedEdition } from '../render/edition.js';
import { type RecipientSlot, splitAtTokens } from '../render/personalize.js';

export interface Sender {
  name: string;
  email: string;
}

export interface Recipient {
  email: string;
  /** Absent for ad-hoc test sends (--to), which are not on the list and have no ledger row. */
  subscriberId?: number;
  unsubscribeUrl: string;
}

export interface PreparedMessage {
  messageId: string;
  envelope: { from: string; to: string };
  /** The message as DATA carries it: CRLF lines, dot-stuffed, ending in CRLF; mostly shared Buffers. */
  wire: readonly Buffer[];
}

/**
 * SMTP dot-stuffing (RFC 5321 §4.5.2): a line that starts with "." gets another. Every piece of a message
 * starts a line or starts with a character other than ".", so pieces are stuffed one by one.
 */
const dotStuff = (text: string) => text.replace(/(^|\n)\./g, '$1..');
const wirePiece = (text: string) => Buffer.from(dotStuff(text), 'utf8');

/** The message as a file or nodemailer wants it (RFC 5322, not dot-stuffed). */
export function rawMessage(message: PreparedMessage): string {
  return Buffer.concat(message.wire)
    .toString('utf8')
    .replace(/(^|\n)\./g, '$1');
}

export function messageBytes(message: PreparedMessage): number {
  return message.wire.reduce((sum, b) => sum + b.length, 0);
}

export type MessageFactory = (recipient: Recipient) => PreparedMessage;

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

type Slot = RecipientSlot;
const CRLF = '\r\n';

/** A piece of a message in both forms: as DATA carries it (dot-stuffed) and as signed (the text as written). */
interface Piece {
  wire: Buffer;
  raw: string;
}
const piece = (text: string): Piece => ({ wire: wirePiece(text), raw: text });

/** QP-encodes a part once, cut at its tokens: pieces between them, each starting a line. */
function encodePart(text: string): { pieces: Piece[]; slots: Slot[] } {
  const { pieces, slots } = splitAtTokens(text.replace(/\r?\n/g, CRLF));
  return { pieces: pieces.map((p) => piece(qp.wrap(qp.encode(p), 76))), slots };
}

/** Fills a part into `out`: each value starts and ends on a soft line break, so QP lines stay under 76. */
function filler(part: { pieces: Piece[]; slots: Slot[] }, html: boolean) {
  return (values: Record<Slot, string>, out: Piece[]): void => {
    out.push(part.pieces[0]!);
    for (let i = 0; i < part.slots.length; i++) {
      const value = html ? escapeHtml(values[part.slots[i]!]) : values[part.slots[i]!];
      out.push(piece(`=${CRLF}${qp.wrap(qp.encode(value), 76)}=${CRLF}`), part.pieces[i + 1]!);
    }
  };
}

/** A display name: quoted when plain ASCII, RFC 2047-encoded otherwise. */
const displayName = (name: string) => (/^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '')}"` : mimeFuncs.encodeWords(name, 'Q', 52));

const header = (name: string, value: string) => mimeFuncs.foldLines(`${name}: ${value}`, 76) + CRLF;

/**
 * The body after the header block: multipart/alternative [text, multipart/related [html, PNGs by
 * Content-ID]], encoded once; per recipient only their values are encoded in.
 */
function bodyBuilder(edition: RenderedEdition, boundary: string): (values: Record<Slot, string>) => Piece[] {
  const partHead = (b: string, type: string) => `--${b}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;
  const text = filler(encodePart(edition.text), false);
  const html = filler(encodePart(edition.html), true);
  const related = `--mw-rel-${randomBytes(12).toString('hex')}`;
  const charts = edition.charts ?? [];
  const htmlHead = charts.length
    ? `${CRLF}--${boundary}${CRLF}Content-Type: multipart/related; type="text/html"; boundary="${related}"${CRLF}${CRLF}${partHead(related, 'text/html')}`
    : `${CRLF}${partHead(boundary, 'text/html')}`;
  const images = charts
    .map(
      (c) =>
        `${CRLF}--${related}${CRLF}Content-Type: image/png; name="${c.name}.png"${CRLF}Content-Transfer-Encoding: base64${CRLF}` +
        `Content-ID: <${chartCid(c.name)}>${CRLF}Content-Disposition: inline; filename="${c.name}.png"${CRLF}${CRLF}` +
        (c.png.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF),
    )
    .join('');
  const tail = charts.length ? `${images}${CRLF}--${related}--${CRLF}--${boundary}--${CRLF}` : `${CRLF}--${boundary}--${CRLF}`;
  const [textStart, htmlStart, end] = [partHead(boundary, 'text/plain'), htmlHead, tail].map(piece);
  return (values) => {
    const parts: Piece[] = [textStart!];
    text(values, parts);
    parts.push(htmlStart!);
    html(values, parts);
    parts.push(end!);
    return parts;
  };
}

/**
 * Every recipient's message of an edition, signed with DKIM when a key is given. Its Message-ID and
 * return path carry the proof (`proof`) a later bounce or complaint must show to be acted on.
 */
export function messageFactory(edition: RenderedEdition & { id: string; listId: string }, from: Sender, date: Date, dkim: DkimKey | undefined, proof: ProofKey): MessageFactory {
  const boundary = `--mw-${randomBytes(12).toString('hex')}`;
  const domain = domainOf(from.email);
  const sharedHeaders =
    header('From', `${displayName(from.name)} <${from.email}>`) +
    header('Subject', mimeFuncs.encodeWords(edition.subject, 'Q', 52)) +
    header('Date', date.toUTCString().replace(/GMT$/, '+0000')) +
    header('List-Id', `${displayName(from.name)} <${edition.listId}>`) +
    // RFC 8058: mail clients may POST "List-Unsubscribe=One-Click" to the https URL.
    header('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click') +
    header('MIME-Version', '1.0') +
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`);
  const sharedLines = headerLines(sharedHeaders);
  const sharedHead = wirePiece(sharedHeaders + CRLF);
  const body = bodyBuilder(edition, boundary);

  return (recipient) => {
    const messageId = messageIdFor(proof.secret, edition.id, recipient, domain);
    const own =
      header('To', recipient.email) +
      header('Message-ID', messageId) +
      // The one-click https link only (RFC 8058): no mailto, since no one reads that mailbox for requests.
      header('List-Unsubscribe', `<${recipient.unsubscribeUrl}>`);
    const parts = body({ email: recipient.email, unsubscribeUrl: recipient.unsubscribeUrl });
    const wire = [wirePiece(own), sharedHead, ...parts.map((p) => p.wire)];
    if (dkim) {
      const hash = bodyHasher();
      for (const p of parts) hash.update(p.raw);
      wire.unshift(wirePiece(dkimSignatureHeader(dkim, [...headerLines(own), ...sharedLines], hash.digest(), date)));
    }
    return { messageId, envelope: { from: returnPathFor(proof, from.email, edition.id, recipient.subscriberId), to: recipient.email }, wire };
  };
}

/** A one-off message (confirmation, welcome) composed by nodemailer, in the same prepared form. */
export async function composeMessage(options: {
  from: Sender;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId?: string;
  dkim?: DkimKey;
}): Promise<PreparedMessage> {
  const messageId = options.messageId ?? `<${randomBytes(16).toString('hex')}@${domainOf(options.from.email)}>`;
  const raw = await new MailComposer({
    from: { name: options.from.name, address: options.from.email },
    to: options.to,
    subject: options.subject,
    html: options.html,
    text: options.text,
    messageId,
  })
    .compile()
    .build();
  // SMTP lines end in CRLF; nodemailer leaves a 7-bit part's bare LFs as they came.
  const unsigned = raw.toString('utf8').replace(/\r?\n/g, CRLF);
  const text = options.dkim ? signMessage(options.dkim, unsigned, new Date()) : unsigned;
  return { messageId, envelope: { from: options.from.email, to: options.to }, wire: [wirePiece(text.endsWith(CRLF) ? text : text + CRLF)] };
}
