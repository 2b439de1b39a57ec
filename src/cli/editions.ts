/** `editions list | show | approve | hold | rebuild`: the publisher's review from the command line (src/desk/). */
import type { Command } from 'commander';
import type { EditionResults, EditionSummary } from '../desk/schemas.js';
import { withContext } from './shared.js';

export const resultsText = (r: EditionResults) =>
  `${r.sent} sent, ${r.failed} failed, ${r.ambiguous} ambiguous, ${r.bounced} bounced, ${r.complained} complained, ${r.unsubscribed} unsubscribed${r.final ? '' : ' (sending)'}`;

/** One line an edition: id, state, when, subject, and its results once sent. */
export function editionLine(e: EditionSummary): string {
  const when = e.sentAt ? `sent ${e.sentAt}` : e.sendAt ? `due ${e.sendAt}` : `built ${e.builtAt}`;
  return `${e.id.padEnd(14)} ${e.state.padEnd(9)} ${when.padEnd(30)} ${e.subject}${e.results ? `  ${resultsText(e.results)}` : ''}`;
}

/** An edition in full, for `editions show` and after a review. */
export function editionDetail(e: EditionSummary): string[] {
  const lines = [`${e.id}: ${e.state}${e.demo ? ' (demo data)' : ''}`, `  subject:   ${e.subject}${e.subject === e.builtSubject ? '' : ` (built: ${e.builtSubject})`}`];
  if (e.headline) lines.push(`  headline:  ${e.headline}`);
  if (e.note) lines.push(`  note:      ${e.note}`);
  if (e.sendAt) lines.push(`  send at:   ${e.sendAt}`);
  if (e.reviewedBy) lines.push(`  ${e.state === 'held' ? 'held' : 'reviewed'} by ${e.reviewedBy} at ${e.reviewedAt}${e.heldReason ? `: ${e.heldReason}` : ''}`);
  lines.push(e.checks.length ? `  checks:    ${e.checks.length} found` : '  checks:    all passed', ...e.checks.map((c) => `    - ${c}`));
  const r = e.results;
  if (r) lines.push(`  results:   ${r.recipients} recipients: ${resultsText(r)}`);
  return lines;
}

const print = (json: boolean | undefined, value: EditionSummary) => console.log(json ? JSON.stringify(value, null, 2) : editionDetail(value).join('\n'));

export function registerEditions(cli: Command): void {
  const editions = cli.command('editions').description('the editions built and sent: review the next one, see how each went');
  editions
    .command('list')
    .description('every edition, newest first: its state (draft, approved, held, sending, sent) and results')
    .option('--json', 'print as JSON')
    .action(
      withContext(async (ctx, flags: { json?: boolean }) => {
        const { listEditions } = await import('../desk/editions.js');
        const all = await listEditions(ctx);
        if (flags.json) return console.log(JSON.stringify(all, null, 2));
        if (all.length === 0) return console.log('No editions yet: `marketwrap digest --dry-run` builds one.');
        for (const e of all) console.log(editionLine(e));
      }),
    );
  editions
    .command('show <id>')
    .description('one edition: subject, note, checks, review and results')
    .option('--json', 'print as JSON')
    .action(
      withContext(async (ctx, id: string, flags: { json?: boolean }) => {
        const { showEdition } = await import('../desk/editions.js');
        print(flags.json, await showEdition(ctx, id));
      }),
    );
  editions
    .command('approve <id>')
    .description('approve an edition for the list, optionally with your note above the lede and your subject line')
    .option('--note <text>', 'a short paragraph in your words, shown above the lede ("" removes it)')
    .option('--subject <text>', 'the subject line it goes out with')
    .option('--json', 'print as JSON')
    .action(
      withContext(async (ctx, id: string, flags: { note?: string; subject?: string; json?: boolean }) => {
        const { approveEdition } = await import('../desk/editions.js');
        print(flags.json, await approveEdition(ctx, id, { note: flags.note, subject: flags.subject, by: 'cli' }));
      }),
    );
  editions
    .command('hold <id>')
    .description('hold an edition: nothing goes to the list until it is approved')
    .option('--reason <text>', 'why, for the record', 'held from the command line')
    .option('--json', 'print as JSON')
    .action(
      withContext(async (ctx, id: string, flags: { reason: string; json?: boolean }) => {
        const { holdEdition } = await import('../desk/editions.js');
        print(flags.json, await holdEdition(ctx, id, { reason: flags.reason, by: 'cli' }));
      }),
    );
  editions
    .command('rebuild <id>')
    .description('build a draft (a held one, say) again with the newest data: checked, and mailed to PUBLISHER_EMAIL for review')
    .option('--allow-demo-data', 'build it from demo data even over SMTP (it is still held, never sent, unless approved)')
    .option('--json', 'print as JSON')
    .action(
      withContext(async (ctx, id: string, flags: { allowDemoData?: boolean; json?: boolean }) => {
        const [{ rebuildDraft }, { showEdition }] = await Promise.all([import('../../jobs/review.js'), import('../desk/editions.js')]);
        await rebuildDraft(ctx, id, { allowDemoData: flags.allowDemoData });
        print(flags.json, await showEdition(ctx, id));
      }),
    );
}
