/** `data fetch | show | export`: the market data cache. */
import type { Command } from 'commander';
import { resolveAsOf } from '../edition/as-of.js';
import { EXIT } from '../shared/errors.js';
import { fail } from '../shared/errors.js';
import { asOfOption, withContext } from './shared.js';

export function registerData(cli: Command): void {
  const data = cli.command('data').description('the market data cache');
  data
    .command('fetch')
    .description('fetch live closes for every instrument into the cache (only what is missing, plus recent sessions)')
    .addOption(asOfOption())
    .option('--json', 'print the result as JSON')
    .action(
      withContext(async (ctx, flags: { asOf?: string; json?: boolean }) => {
        const { loadMarketData } = await import('../market/index.js');
        const asOf = resolveAsOf(flags.asOf, ctx.clock());
        const snapshot = await loadMarketData({ source: 'live', asOf, config: ctx.config, now: ctx.clock(), store: ctx.store, providers: ctx.env, allowDemoFallback: false });
        if (flags.json) return console.log(JSON.stringify({ asOf, sources: snapshot.sources, issues: snapshot.issues, notes: snapshot.notes }, null, 2));
        for (const series of snapshot.series)
          console.log(`${series.symbol.padEnd(8)} ${String(series.points.length).padStart(4)} closes to ${series.points.at(-1)!.date}  ${series.source}`);
        for (const note of fetchNotes(snapshot.notes)) console.log(`note: ${note}`);
        for (const issue of snapshot.issues) console.log(`WARNING: ${issue.message}`);
        if (snapshot.issues.length) process.exitCode = EXIT.refused;
      }),
    );
  data
    .command('show <symbol>')
    .description('cached closes of an instrument (as configured, e.g. ^GSPC) or a source (e.g. yahoo:IWM)')
    .option('--json', 'print as JSON')
    .option('--from <date>', 'first date', '0000-00-00')
    .action(
      withContext(async (ctx, symbol: string, flags: { json?: boolean; from: string }) => {
        const { sourceKey, sourcesFor } = await import('../market/index.js');
        const instrument = ctx.config.instruments.find((i) => i.symbol === symbol);
        const keys = symbol.includes(':') ? [symbol] : instrument ? sourcesFor(instrument).map(sourceKey) : [];
        let key: string | undefined;
        for (const k of keys) if (!key && (await ctx.store.lastCloseDate(k))) key = k;
        if (!key) throw fail('CACHE_EMPTY', { symbol, instruments: ctx.config.instruments.map((i) => i.symbol).join(', ') });
        const rows = await ctx.store.closes(key, flags.from, '9999-12-31');
        if (flags.json) return console.log(JSON.stringify({ symbol, source: key, closes: rows }, null, 2));
        console.log(`${symbol} from ${key}: ${rows.length} closes`);
        for (const r of rows) console.log(`${r.date}  ${r.close}`);
      }),
    );
  data
    .command('export')
    .description('every cached close as CSV (source,date,close) on stdout')
    .action(
      withContext(async (ctx) => {
        const lines = ['source,date,close'];
        for (const { source } of await ctx.store.cachedSources()) {
          for (const r of await ctx.store.closes(source, '0000-00-00', '9999-12-31')) lines.push(`${source},${r.date},${r.close}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

const UNREACHABLE = /^(\w+) (\S+): unreachable \((.*)\), not tried$/;
const NO_DATA = /^(\S+): no data, left out of this edition$/;

/**
 * The market data's notes as a fetch should say them: a provider that could not be reached is one line
 * with the symbols it was to give, and the instruments left without closes are one line (there is no
 * edition here to be "left out of").
 */
export function fetchNotes(notes: readonly string[]): string[] {
  const unreachable = new Map<string, string[]>();
  const empty: string[] = [];
  const rest: string[] = [];
  for (const note of notes) {
    const down = UNREACHABLE.exec(note);
    const none = NO_DATA.exec(note);
    if (down) unreachable.set(`${down[1]}: unreachable (${down[3]})`, [...(unreachable.get(`${down[1]}: unreachable (${down[3]})`) ?? []), down[2]!]);
    else if (none) empty.push(none[1]!);
    else rest.push(note);
  }
  const list = (symbols: string[]) => (symbols.length > 8 ? `${symbols.slice(0, 8).join(', ')} and ${symbols.length - 8} more` : symbols.join(', '));
  return [
    ...rest,
    ...[...unreachable].map(([what, symbols]) => `${what}: ${symbols.length} ${symbols.length === 1 ? 'symbol' : 'symbols'} not fetched (${list(symbols)})`),
    ...(empty.length ? [`no closes cached for ${list(empty)}`] : []),
  ];
}
