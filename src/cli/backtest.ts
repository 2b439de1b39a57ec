/** `backtest`: every weekly edition in a range, with a report of what would have been wrong. */
import type { Command } from 'commander';
import { parseUserDate } from '../edition/as-of.js';
import { EXIT } from '../shared/errors.js';
import { show } from './output.js';
import { withContext } from './shared.js';

interface BacktestFlags {
  from: string;
  to: string;
  data: string;
  fullHistory: string;
  render: boolean;
  out: string;
  json?: boolean;
}

export function registerBacktest(cli: Command): void {
  cli
    .command('backtest')
    .description('render every weekly edition in a range into an archive folder, with a report')
    .requiredOption('--from <date>', 'first week (YYYY-MM-DD)', (value: string) => parseUserDate('--from', value))
    .requiredOption('--to <date>', 'last week (YYYY-MM-DD)', (value: string) => parseUserDate('--to', value))
    .option('--data <source>', 'demo:<scenario>, cache (cached live closes) or csv:<folder> (GSPC.csv, RUT.csv, ... as Yahoo exports them)', 'demo:small-cap-rally')
    .option('--full-history <symbols>', 'CSV series that start at the first close there is, so records may be claimed (e.g. ^GSPC)', '')
    .option('--no-render', 'check the commentary only; write no HTML (fast over decades)')
    .option('--out <dir>', 'archive folder', 'backtest')
    .option('--json', 'print the report as JSON')
    .action(
      withContext(async (ctx, flags: BacktestFlags) => {
        const { backtest } = await import('../edition/backtest.js');
        const fullHistory = flags.fullHistory
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const report = await backtest(ctx, { from: flags.from, to: flags.to, data: flags.data, out: flags.out, fullHistory, render: flags.render });
        if (flags.json) return console.log(JSON.stringify(report, null, 2));
        for (const w of report.weeks) {
          const problems = [...w.contradictions, ...w.lookbacks, ...w.style, ...w.repeated.map((r) => `repeated: ${r}`)];
          console.log(`${w.id}  ${String(w.signals.length).padStart(2)} signals  ${w.headline}${problems.length ? `  PROBLEMS: ${problems.join('; ')}` : ''}`);
        }
        console.log(
          `${report.weeks.length} editions, ${report.contradictions} contradictions, ${report.lookbacks} look-back errors, ${report.style} style problems, ${report.repeated} repeated phrasings: ${show(report.index)}`,
        );
        const top = report.patterns[0];
        if (top) console.log(`most used sentence pattern: ${(top.share * 100).toFixed(1)}% of editions: ${top.pattern}`);
        if (report.contradictions + report.lookbacks + report.style) process.exitCode = EXIT.failed;
      }),
    );
}
