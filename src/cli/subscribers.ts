/** `subscribers add | remove | import | export | erase | list`. */
import type { Command } from 'commander';
import type { SubscriberRow } from '../db/index.js';
import { fail } from '../shared/errors.js';
import { parseEmail } from '../subscribers/address.js';
import { csvTable } from './output.js';
import { withContext } from './shared.js';

const EXPORT_COLUMNS = ['email', 'status', 'consent_source', 'created_at', 'status_changed_at', 'confirmed_at', 'unsubscribed_at'] as const;

export function registerSubscribers(cli: Command): void {
  const subscribers = cli.command('subscribers').description('manage the list');
  subscribers
    .command('add <email...>')
    .description('add confirmed subscribers (they consented elsewhere)')
    .action(async (emails: string[]) => {
      // All or nothing: every address is checked before anything (the data folder included) is touched.
      const valid = emails.map(parseEmail);
      await withContext(async (ctx) => {
        for (const row of await ctx.subscribers.addAll(valid, 'cli')) console.log(`${row.email}: ${row.status}`);
      })();
    });
  subscribers
    .command('remove <email>')
    .description('unsubscribe an address (kept, so it is never mailed again)')
    .action(
      withContext(async (ctx, email: string) => {
        const row = await ctx.subscribers.remove(email);
        console.log(`${row.email}: ${row.status}`);
      }),
    );
  subscribers
    .command('import <csv>')
    .description('import confirmed subscribers from a CSV file (an "email" column, or one address a line)')
    .option('--json', 'print the report as JSON')
    .action(
      withContext(async (ctx, file: string, flags: { json?: boolean }) => {
        const { readAddresses } = await import('../subscribers/csv-import.js');
        const report = await ctx.subscribers.import(readAddresses(file));
        if (flags.json) return console.log(JSON.stringify(report, null, 2));
        console.log(`${report.accepted} accepted, ${report.rejected.length} rejected, ${report.duplicates} duplicates`);
        for (const r of report.rejected) console.log(`  line ${r.line}: ${JSON.stringify(r.value)} ${r.reason}`);
      }),
    );
  subscribers
    .command('bounces')
    .description('read the bounce mailbox (BOUNCE_IMAP_URL): record each bounce and complaint; act on those that prove they answer a message we sent')
    .action(
      withContext(async (ctx) => {
        if (!ctx.env.BOUNCE_IMAP_URL) throw fail('MAILBOX_NOT_SET');
        const { processBounceMailbox, mailboxSummary } = await import('../feedback/mailbox.js');
        const { feedbackDeps } = await import('../feedback/apply.js');
        console.log(mailboxSummary(await processBounceMailbox(ctx.env.BOUNCE_IMAP_URL, feedbackDeps(ctx), ctx.clock)));
      }),
    );
  registerListing(subscribers, 'export', 'the list as CSV (or --json) on stdout', (rows) => process.stdout.write(csvTable(EXPORT_COLUMNS, rows)));
  subscribers
    .command('erase <email>')
    .description("erase a person's data (GDPR); a hash is kept so the address is never mailed again")
    .action(
      withContext(async (ctx, email: string) => {
        const address = email.trim().toLowerCase();
        const erased = await ctx.subscribers.erase(email);
        console.log(erased ? `${address}: erased` : `${address}: not on the list; it will never be added or mailed`);
      }),
    );
  registerListing(subscribers, 'list', 'list subscribers', (rows) => {
    if (rows.length === 0) return console.log('No subscribers yet: add one with `marketwrap subscribers add you@example.com`.');
    for (const r of rows) console.log(`${r.email.padEnd(40)} ${r.status.padEnd(12)} ${r.consent_source.padEnd(6)} since ${r.status_changed_at}`);
    console.log(`${rows.length} ${rows.length === 1 ? 'subscriber' : 'subscribers'}, ${rows.filter((r) => r.status === 'confirmed').length} confirmed`);
  });
}

/** A command that shows the whole list: as JSON with --json, else as `print` shows it. */
function registerListing(subscribers: Command, name: string, description: string, print: (rows: SubscriberRow[]) => void): void {
  subscribers
    .command(name)
    .description(description)
    .option('--json', 'print as JSON')
    .action(
      withContext(async (ctx, flags: { json?: boolean }) => {
        const rows = await ctx.subscribers.list();
        // The columns a publisher reads, never the key that signs a subscriber's links or the throttle's counters.
        if (flags.json)
          return console.log(
            JSON.stringify(
              rows.map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, r[c]]))),
              null,
              2,
            ),
          );
        print(rows);
      }),
    );
}
