/** How the CLI prints: paths relative to where you are, CSV cells, the digest summary, a progress bar. */
import { relative } from 'node:path';
import type { DigestResult } from '../../jobs/weekly-digest.js';

export const show = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

/** A CSV cell that a spreadsheet will not run: a leading = + - @ (or tab, CR) is quoted away with a '. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvTable<T>(columns: ReadonlyArray<keyof T & string>, rows: readonly T[]): string {
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(String(r[c] ?? ''))).join(','))].join('\n')}\n`;
}

const NOTES_SHOWN = 5;
const FAILURES_SHOWN = 20;

function deliveryLines(d: NonNullable<DigestResult['delivery']>): string[] {
  const f = d.failures;
  const lines = [
    `Delivery via ${d.transport}: ${d.sent} sent, ${d.failed} failed (${f.temporary} temporary, ${f.permanent} permanent, ${f.ambiguous} ambiguous), ${d.skipped} skipped` +
      `${d.queued ? `, ${d.queued} still queued` : ''} in ${(d.durationMs / 1000).toFixed(1)} s${d.ratePerSecond ? ` (${d.ratePerSecond}/s)` : ''}`,
  ];
  for (const r of d.sentTo ?? []) lines.push(`  sent    ${r.email}  ${show(r.reply)}`);
  for (const r of d.failedRecipients.slice(0, FAILURES_SHOWN)) lines.push(`  failed  ${r.email}  ${r.failure}: ${r.reply}`);
  if (d.failedRecipients.length > FAILURES_SHOWN) lines.push(`  ... and ${d.failedRecipients.length - FAILURES_SHOWN} more failures`);
  if (d.inFlightAtStart.length) lines.push(`  In flight when the previous send stopped (maybe delivered, handled by delivery.ambiguous): ${d.inFlightAtStart.join(', ')}`);
  if (d.interrupted) lines.push(`  Interrupted: ${d.queued} left queued; continue with \`marketwrap digest --resume\``);
  if (d.stopped)
    lines.push(
      `  Stopped: the SMTP server refused the session (${d.stopped}); ${d.queued} left queued. Fix SMTP_URL, its credentials or the sender address, then run \`marketwrap digest --resume\``,
    );
  if (d.sending) lines.push(`  ${d.sending} still in flight with another sender (its lease is current): run \`marketwrap digest --resume\` once it has stopped`);
  // The bound is each sender's window: several senders (workers) that all crash can leave one window each.
  if (d.total > 0)
    lines.push(
      `  A crash can leave at most ${d.ambiguousBound} ${d.ambiguousBound === 1 ? 'message' : 'messages'} of this sender's unaccounted for (a window per sender: each worker adds its own; reported by address on --resume, never sent twice).`,
    );
  return lines;
}

/**
 * The first few of an edition's notes under a label: the market data's (`Data`: providers skipped,
 * fallbacks) or what the checks found in the copy (`Check`); the rest are in the edition's JSON.
 */
export function noteLines(label: 'Data' | 'Check', notes: readonly string[], json: string): string[] {
  const lines = notes.slice(0, NOTES_SHOWN).map((note) => `  ${label}: ${note}`);
  if (notes.length > NOTES_SHOWN) lines.push(`  ${label}: ... ${notes.length - NOTES_SHOWN} more in ${show(json)}`);
  return lines;
}

export function printDigest(result: DigestResult): void {
  const lines = [
    `Edition ${result.editionId} (week ending ${result.asOf})${result.demo ? ' — DEMO DATA' : ''}`,
    `  Subject: ${result.subject}`,
    `  Email:   ${show(result.files.html)} (${(result.htmlBytes / 1024).toFixed(1)} KB of HTML), ${show(result.files.text)}`,
    `  Web:     ${show(result.files.webHtml)}, ${show(result.files.webText)}`,
    `  JSON:    ${show(result.files.json)}`,
  ];
  lines.push(...noteLines('Data', result.dataNotes, result.files.json), ...noteLines('Check', result.findings, result.files.json));
  if (result.delivery) lines.push(...deliveryLines(result.delivery));
  if (result.note) lines.push(`Note: ${result.note}`);
  console.log(lines.join('\n'));
}

/** A one-line progress bar with rate and ETA, on stderr, only on a terminal. */
export function progressBar() {
  const started = Date.now();
  return {
    update(done: number, total: number) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : 0;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${rate.toFixed(0)}/s  ETA ${eta}s `);
    },
    done: () => process.stderr.write('\n'),
  };
}
