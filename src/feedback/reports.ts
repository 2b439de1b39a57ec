/**
 * Bounce and complaint reports as they arrive in a mailbox: RFC 3464 delivery status notifications
 * (multipart/report; report-type=delivery-status) and RFC 5965 abuse reports (report-type=feedback-report).
 * The message they are about is named by the Message-ID in the returned original (message/rfc822 or
 * text/rfc822-headers), or X-Original-Message-ID / In-Reply-To where a provider puts it instead.
 */
import { simpleParser } from 'mailparser';
import { looksLikeReturnPath } from '../delivery/proof.js';
import { type Feedback, type FeedbackInput, parseFeedback } from './policy.js';

/**
 * A message that cannot be read as a report within bounds: too big, too many parts, too deep, too slow.
 * Not a catalogue code: it never reaches a user; the mailbox reader counts it and goes on.
 */
export class UnreadableReport extends Error {
  override name = 'UnreadableReport';
}

/** Bounds on one message: a report is a few KB in 3 parts; a stranger's 1,100 parts or 2,000 levels are refused before any parser sees them. */
export const REPORT_LIMITS = { bytes: 1024 * 1024, parts: 200, multiparts: 10, ms: 5000 };

interface Part {
  type: string;
  body: string;
}

/** Header fields of a block of text (continuation lines unfolded), names lower-cased; the first of each. */
export function fields(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return map;
}

function splitMultipart(raw: string, boundary: string): Part[] {
  const chunks = raw.split(new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?$`, 'm')).slice(1, -1);
  return chunks.map((chunk) => {
    const text = chunk.replace(/^\r?\n/, '');
    const split = text.search(/\r?\n\r?\n/);
    const head = split < 0 ? text : text.slice(0, split);
    const body = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
    return { type: (fields(head).get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase(), body };
  });
}

/** "rfc822; ann@example.com" → "ann@example.com". */
const address = (value: string | undefined) =>
  value
    ?.replace(/^[^;]*;\s*/, '')
    .replace(/^<|>$/g, '')
    .trim() || undefined;

function deliveryStatus(part: Part, messageId: string | undefined, proof: string[]): FeedbackInput[] {
  const [perMessage = '', ...perRecipient] = part.body.split(/\r?\n\s*\r?\n/).filter((b) => b.trim());
  const fallbackId = fields(perMessage).get('x-original-message-id');
  return perRecipient.flatMap((block): FeedbackInput[] => {
    const f = fields(block);
    const email = address(f.get('final-recipient') ?? f.get('original-recipient'));
    const status = f.get('status') ?? '';
    // Only a failure is a bounce: "delayed" is a warning, "delivered" and "relayed" are good news.
    if (!email || f.get('action')?.toLowerCase() !== 'failed') return [];
    const kind = status.startsWith('5') ? 'hard-bounce' : 'soft-bounce';
    const id = messageId ?? fallbackId;
    return [{ kind, email, messageId: id, proof: id ? [id, ...proof] : proof, source: 'imap', detail: `${status} ${f.get('diagnostic-code') ?? ''}`.trim() }];
  });
}

function feedbackReport(part: Part, original: Map<string, string> | undefined, messageId: string | undefined, proof: string[]): FeedbackInput[] {
  const f = fields(part.body);
  const type = (f.get('feedback-type') ?? '').toLowerCase();
  const email = address(f.get('original-rcpt-to')) ?? address(original?.get('to'));
  if (!email || type === 'not-spam') return [];
  // An ARF report names the envelope sender it got (our VERP address) as Original-Mail-From.
  const from = address(f.get('original-mail-from'));
  const offered = [...(messageId ? [messageId] : []), ...proof, ...(from && looksLikeReturnPath(from) ? [from] : [])];
  return [{ kind: 'complaint', email, messageId, proof: offered, source: 'imap', detail: `feedback report: ${type || 'unspecified'} (${f.get('user-agent') ?? 'unknown agent'})` }];
}

/** Refuses, before any parser runs, a message no report looks like: over the size, part or nesting bounds. */
export function checkBounds(raw: Buffer): void {
  if (raw.length > REPORT_LIMITS.bytes) throw new UnreadableReport(`${raw.length} bytes, over ${REPORT_LIMITS.bytes}`);
  const text = raw.toString('latin1');
  const multiparts = text.match(/boundary\s*=/gi)?.length ?? 0;
  if (multiparts > REPORT_LIMITS.multiparts) throw new UnreadableReport(`${multiparts} multiparts, over ${REPORT_LIMITS.multiparts}`);
  const delimiters = text.match(/^--\S/gm)?.length ?? 0;
  if (delimiters > REPORT_LIMITS.parts) throw new UnreadableReport(`${delimiters} part delimiters, over ${REPORT_LIMITS.parts}`);
}

/**
 * The return paths a report shows: where the bounce was delivered (the VERP address it answers, as the
 * delivering server recorded it, then To), and the returned original's Return-Path.
 */
function returnPaths(top: Map<string, string>, original: Map<string, string> | undefined): string[] {
  const candidates = [top.get('delivered-to'), top.get('x-original-to'), top.get('to'), original?.get('return-path')];
  return candidates.map((c) => address(c?.replace(/^.*</, '<'))).filter((c): c is string => c !== undefined && looksLikeReturnPath(c));
}

/** What a message in the bounce mailbox reports; nothing for anything that is not a report; UnreadableReport past the bounds. */
export async function readReport(raw: Buffer): Promise<Feedback[]> {
  checkBounds(raw);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnreadableReport(`not read in ${REPORT_LIMITS.ms} ms`)), REPORT_LIMITS.ms);
  });
  try {
    return parseFeedback(await Promise.race([reportOf(raw), late]));
  } catch (error) {
    throw error instanceof UnreadableReport ? error : new UnreadableReport(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

async function reportOf(raw: Buffer): Promise<FeedbackInput[]> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const boundary = contentType?.params?.['boundary'];
  if (contentType?.value !== 'multipart/report' || !boundary) return [];
  const text = raw.toString('utf8');
  const parts = splitMultipart(text, boundary);
  const returned = parts.find((p) => p.type === 'message/rfc822' || p.type === 'text/rfc822-headers');
  const original = returned ? fields(returned.body.split(/\r?\n\r?\n/)[0]!) : undefined;
  const messageId = original?.get('message-id') ?? (parsed.inReplyTo || undefined);
  const proof = returnPaths(fields(text.split(/\r?\n\r?\n/)[0]!), original);
  const reportType = contentType.params?.['report-type']?.toLowerCase();
  const status = parts.find((p) => p.type === 'message/delivery-status');
  if (reportType === 'delivery-status' && status) return deliveryStatus(status, messageId, proof);
  const feedback = parts.find((p) => p.type === 'message/feedback-report');
  if (reportType === 'feedback-report' && feedback) return feedbackReport(feedback, original, messageId, proof);
  return [];
}
