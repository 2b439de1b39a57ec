/** `stats`: the list by status, joins and leaves per week, and each sent edition's results (src/desk/stats.ts). */
import type { Command } from 'commander';
import { fail } from '../shared/errors.js';
import { resultsText } from './editions.js';
import { withContext } from './shared.js';

export function registerStats(cli: Command): void {
  cli
    .command('stats')
    .description('subscribers by status, joins and leaves per ISO week, and per-edition results')
    .option('--weeks <n>', 'how many weeks of joins and leaves', '12')
    .option('--json', 'print as JSON')
    .action(
      withContext(async (ctx, flags: { weeks: string; json?: boolean }) => {
        const weeks = Number(flags.weeks);
        if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) throw fail('WEEKS_INVALID', { value: flags.weeks });
        const { deskStats } = await import('../desk/stats.js');
        const stats = await deskStats(ctx, { weeks });
        if (flags.json) return console.log(JSON.stringify(stats, null, 2));
        const s = stats.subscribers;
        console.log(`Subscribers: ${s.confirmed} confirmed, ${s.pending} pending, ${s.unsubscribed} unsubscribed, ${s.bounced} bounced, ${s.complained} complained`);
        console.log('Week       joins  leaves');
        for (const w of stats.weeks) console.log(`${w.week}  ${String(w.joins).padStart(5)}  ${String(w.leaves).padStart(6)}`);
        console.log(stats.editions.length ? 'Editions:' : 'Editions: none sent yet');
        for (const e of stats.editions) console.log(`  ${e.id.padEnd(14)} ${(e.sentAt ?? e.state).padEnd(24)} ${resultsText(e.results)}  ${e.subject}`);
      }),
    );
}
