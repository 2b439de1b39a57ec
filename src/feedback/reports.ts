/**
 * Bounce and complaint reports as they arrive in a mailbox: RFC 3464 delivery status notifications
 * (multipart/report; report-type=delivery-status) and RFC 5965 abuse reports (report-type=feedback-report).
 * The message they are about is named by the Message-ID in the returned original (message/rfc822 or
 * text/rfc822-headers), or X-Original-Message-ID / In-Reply-To where a provider puts it instead.
 */
import { simpleParser } from 'mailparser';
import type { Feedback } from './policy.js';

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

function deliveryStatus(part: Part, messageId: string | undefined): Feedback[] {
  const [perMessage = '', ...perRecipient] = part.body.split(/\r?\n\s*\r?\n/).filter((b) => b.trim());
  const fallbackId = fields(perMessage).get('x-original-message-id');
  return perRecipient.flatMap((block): Feedback[] => {
    const f = fields(block);
    const email = address(f.get('final-recipient') ?? f.get('original-recipient'));
    const status = f.get('status') ?? '';
    // Only a failure is a bounce: "delayed" is a warning, "delivered" and "relayed" are good news.
    if (!email || f.get('action')?.toLowerCase() !== 'failed') return [];
    const kind = status.startsWith('5') ? 'hard-bounce' : 'soft-bounce';
    return [{ kind, email, messageId: messageId ?? fallbackId, source: 'imap', detail: `${status} ${f.get('diagnostic-code') ?? ''}`.trim().slice(0, 1000) }];
  });
}

function feedbackReport(part: Part, original: Map<string, string> | undefined, messageId: string | undefined): Feedback[] {
  const f = fields(part.body);
  const type = (f.get('feedback-type') ?? '').toLowerCase();
  const email = address(f.get('original-rcpt-to')) ?? address(original?.get('to'));
  if (!email || type === 'not-spam') return [];
  return [{ kind: 'complaint', email, messageId, source: 'imap', detail: `feedback report: ${type || 'unspecified'} (${f.get('user-agent') ?? 'unknown agent'})` }];
}

/** What a message in the bounce mailbox reports; nothing for anything that is not a report. */
export async function readReport(raw: Buffer): Promise<Feedback[]> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const boundary = contentType?.params?.['boundary'];
  if (contentType?.value !== 'multipart/report' || !boundary) return [];
  const parts = splitMultipart(raw.toString('utf8'), boundary);
  const returned = parts.find((p) => p.type === 'message/rfc822' || p.type === 'text/rfc822-headers');
  const original = returned ? fields(returned.body.split(/\r?\n\r?\n/)[0]!) : undefined;
  const messageId = original?.get('message-id') ?? (parsed.inReplyTo || undefined);
  const reportType = contentType.params?.['report-type']?.toLowerCase();
  const status = parts.find((p) => p.type === 'message/delivery-status');
  if (reportType === 'delivery-status' && status) return deliveryStatus(status, messageId);
  const feedback = parts.find((p) => p.type === 'message/feedback-report');
  if (reportType === 'feedback-report' && feedback) return feedbackReport(feedback, original, messageId);
  return [];
}
