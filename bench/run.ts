/**
 * `npm run bench`: figures, no assertions, each send beside the ceiling measured just before it in the
 * same run (the machine may be shared: compare a figure with its own ceiling, not across runs).
 *
 *   npm run bench                         the default tier: lists of 10,000 and 100,000 (a few minutes)
 *   npm run bench -- --million            adds 1,000,000 subscribers on SQLite and PostgreSQL, and a 23-year backtest (an hour or more)
 *   npm run bench -- --only=digest,workers   some sections: render, digest, workers, nodemailer, backtest, desk, startup
 *
 * The sends are the real, compiled CLI (`marketwrap subscribers import`, `digest`, `worker`), their memory
 * read from /proc (bench/measure.ts). Sends go to Postfix's smtp-sink on loopback when it is installed
 * (apt-get install postfix), else to an smtp-server sink in its own process; where smtp-source exists it
 * measures the same sink at the same size and connection count: the ceiling.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';
import { memorySampler, openBenchDb, sendRate, tenths, timedCounts } from './measure.js';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules/.bin/tsx');
const bin = join(root, 'bin/marketwrap.js');
const which = (cmd: string) => ['/usr/sbin', '/usr/bin', '/usr/local/sbin'].map((d) => join(d, cmd)).find(existsSync);
const million = process.argv.includes('--million') || process.env['BENCH_TIER'] === 'million';
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const section = (name: string) => !only || only.includes(name);
const line = (label: string, value: string) => console.log(`${label.padEnd(62)} ${value}`);
const fmt = (n: number) => n.toLocaleString('en-US');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A data folder (and DATABASE_URL's schema, when given) with the bench's config, and the CLI's environment for it. */
function benchFolder(smtpUrl: string, databaseUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'marketwrap-bench-'));
  writeFileSync(join(dir, 'marketwrap.config.json'), JSON.stringify({ delivery: { connections: 10, messagesPerConnection: 100_000 } }));
  const env = {
    PATH: process.env['PATH'] ?? '',
    DATA_DIR: join(dir, 'data'),
    CONFIG_FILE: join(dir, 'marketwrap.config.json'),
    MARKET_DATA: 'demo',
    LOG_LEVEL: 'silent',
    SMTP_URL: smtpUrl,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  return { dir, env, databaseUrl };
}
type Folder = ReturnType<typeof benchFolder>;

/** Runs the compiled CLI to its end, its memory sampled; stdout returned. */
async function cli(args: string[], env: Record<string, string>, count = 1) {
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['--max-semi-space-size=2', bin, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] }));
  const sampler = memorySampler(() => children.map((c) => c.pid!));
  const outputs = children.map((child) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    return () => out;
  });
  const t0 = performance.now();
  const codes = await Promise.all(children.map(async (c) => (await once(c, 'exit'))[0] as number));
  const seconds = (performance.now() - t0) / 1000;
  return { codes, outputs: outputs.map((o) => o()), seconds, memory: sampler.stop() };
}

/** `marketwrap subscribers import` of an n-line CSV (header and n addresses): the list every send below goes to. */
async function importList(folder: Folder, n: number) {
  const csv = join(folder.dir, 'list.csv');
  const out = createWriteStream(csv);
  out.write('email\n');
  for (let i = 0; i < n; i++) if (!out.write(`reader${i}@bench.example\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const run = await cli(['subscribers', 'import', csv, '--json'], folder.env);
  const report = JSON.parse(run.outputs[0]!) as { accepted: number };
  if (report.accepted !== n) throw new Error(`import accepted ${report.accepted} of ${n}`);
  return { seconds: run.seconds, peakMb: run.memory.rootPeakMb };
}

async function startSink(): Promise<{ url: string; kind: string; port: number; child: ChildProcess }> {
  const port = await freePort();
  const postfix = which('smtp-sink');
  const child = postfix
    ? spawn(postfix, ['-u', 'nobody', `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' })
    : spawn(tsx, [join(root, 'bench/sink.ts'), String(port)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1500));
  return { url: `smtp://127.0.0.1:${port}`, kind: postfix ? 'Postfix smtp-sink' : 'smtp-server (node) sink', port, child };
}

function scenario(...args: string[]): Record<string, number | string> {
  const r = spawnSync(tsx, [join(root, 'bench/scenario.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

function startup(args: string[], env: Record<string, string> = {}): number {
  const times = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    return performance.now() - t0;
  });
  return Math.round(times.sort((a, b) => a - b)[2]!);
}

console.log(
  `marketwrap bench on ${process.platform} ${process.arch}, Node ${process.version}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 16)} UTC${million ? ', with the 1,000,000 tier' : ''}\n`,
);
const render = scenario('render', '20000');
const messageBytes = Number(render['messageBytes']);
if (section('render')) {
  line('per-recipient personalisation (real digest), median / p99', `${Number(render['medianUs']).toFixed(1)} µs / ${Number(render['p99Us']).toFixed(1)} µs`);
  line('per-recipient personalisation with DKIM (RSA-2048), median', `${Number(render['dkimMedianUs']).toFixed(1)} µs`);
  line('message size (MIME, bytes) / HTML (bytes)', `${fmt(messageBytes)} / ${fmt(Number(render['htmlBytes']))}`);
}

const sink = await startSink();
console.log(`\nsink: ${sink.kind} on ${sink.url}, 10 connections; each send beside the ceiling measured just before it`);
const source = which('smtp-source');
/** smtp-source's rate to the same sink, same size, same 10 connections: the most the wire and the sink allow now. */
function ceiling(): number | undefined {
  if (!source) return undefined;
  const n = 10_000;
  const t0 = performance.now();
  spawnSync(source, ['-d', '-s', '10', '-m', String(n), '-l', String(messageBytes), `127.0.0.1:${sink.port}`], { stdio: 'ignore' });
  return n / ((performance.now() - t0) / 1000);
}
const ratio = (rate: number, top: number | undefined) =>
  top ? ` = ${(rate / top).toFixed(2)} of the ceiling (${fmt(Math.round(top))}/s)` : ' (no ceiling: apt-get install postfix)';

/** After a send: its tenths (rate and the sender's RSS), the counts the publisher reads, the database's size. */
async function afterSend(folder: Folder, n: number, timeline: ReadonlyArray<{ at: number; rss: number }>) {
  const db = await openBenchDb(folder.env.DATA_DIR, folder.databaseUrl);
  try {
    if (n >= 100_000) {
      const parts = await tenths(db, n, timeline);
      line('  rate per tenth of the list (messages/s)', parts.map((p) => fmt(p.perSecond)).join(' '));
      line('  sender RSS per tenth (peak, MB)', parts.map((p) => p.rssMb).join(' '));
      const [first, last] = [parts[0]!, parts[9]!];
      line('  last tenth against the first', `rate ${(last.perSecond / first.perSecond).toFixed(2)}, RSS ${(last.rssMb / first.rssMb).toFixed(2)}`);
    }
    const counts = await timedCounts(db);
    line('  counts: subscribers by status / one edition by status', `${counts.byStatusMs} ms / ${counts.editionMs} ms`);
    line('  database size', `${fmt(Math.round((await db.bytes()) / 1048576))} MB`);
  } finally {
    await db.close();
  }
}

/** `marketwrap digest` (SQLite) to an imported list of n: the real CLI, its process tree's memory sampled. */
async function digestRun(n: number) {
  const folder = benchFolder(sink.url);
  const imported = await importList(folder, n);
  line(`marketwrap subscribers import, ${fmt(n)}-line CSV (SQLite)`, `${imported.seconds.toFixed(1)} s, peak RSS ${imported.peakMb} MB`);
  const top = ceiling();
  const run = await cli(['digest', '--allow-demo-data'], folder.env);
  const m = /: (\d+) sent, .* in ([\d.]+) s/.exec(run.outputs[0]!);
  if (!m || Number(m[1]) !== n) throw new Error(`digest did not send ${n} messages:\n${run.outputs[0]}`);
  const rate = Math.round(n / Number(m[2]));
  line(`marketwrap digest, ${fmt(n)} subscribers (SQLite)`, `${fmt(rate)} messages/s (${m[2]} s)${ratio(rate, top)}`);
  line('  peak RSS: whole process tree (sampled sum) / sender / build child', `${run.memory.treePeakMb} / ${run.memory.rootPeakMb} / ${run.memory.childPeakMb} MB`);
  await afterSend(folder, n, run.memory.timeline);
  rmSync(folder.dir, { recursive: true, force: true });
}

/** `digest --queue-only`, then `count` `marketwrap worker --once` processes sharing the list on PostgreSQL. */
async function workersRun(count: number, n: number, postgresUrl: string) {
  const folder = benchFolder(sink.url, `${postgresUrl}?schema=bench_${count}_${n}`);
  const imported = await importList(folder, n);
  if (count === 1) line(`marketwrap subscribers import, ${fmt(n)}-line CSV (PostgreSQL)`, `${imported.seconds.toFixed(1)} s, peak RSS ${imported.peakMb} MB`);
  const queued = spawnSync(process.execPath, [bin, 'digest', '--queue-only', '--allow-demo-data'], { env: folder.env, encoding: 'utf8' });
  if (queued.status !== 0) throw new Error(`digest --queue-only failed: ${queued.stderr}`);
  const top = ceiling();
  const run = await cli(['worker', '--once', '--json'], folder.env, count);
  const finals = run.outputs.map((o) => JSON.parse(o.trim().split('\n').at(-1)!) as { sent: number });
  if (Math.max(...finals.map((f) => f.sent)) !== n) throw new Error(`the workers did not send ${n} messages: ${run.outputs.join('\n')}`);
  const db = await openBenchDb(folder.env.DATA_DIR, folder.databaseUrl);
  const sending = await sendRate(db, n);
  await db.close();
  const wall = Math.round(n / run.seconds);
  line(`marketwrap worker x${count}, ${fmt(n)} subscribers (PostgreSQL)`, `${fmt(sending)} messages/s${ratio(sending, top)}`);
  line(
    '  the same with start-up and exit (wall clock)',
    `${fmt(wall)} messages/s (${run.seconds.toFixed(1)} s) = ${top ? (wall / top).toFixed(2) : '-'}; peak RSS ${run.memory.rootPeakMb} MB a worker`,
  );
  await afterSend(folder, n, run.memory.timeline);
  rmSync(folder.dir, { recursive: true, force: true });
}

if (section('digest')) for (const n of million ? [10_000, 100_000, 1_000_000] : [10_000, 100_000]) await digestRun(n);

if (section('workers')) {
  const postgres = (await import('../test/helpers/postgres.js')) as typeof import('../test/helpers/postgres.js');
  if (postgres.hasPostgres) {
    const server = await postgres.startPostgres();
    console.log('\nPostgreSQL (a throwaway cluster on loopback), each worker with 10 connections');
    try {
      for (const count of [1, 2]) await workersRun(count, 10_000, server.url);
      if (million) for (const count of [1, 2]) await workersRun(count, 1_000_000, server.url);
    } finally {
      server.stop();
    }
  } else line('PostgreSQL workers', 'no server installed (apt-get install postgresql) — not measured');
}

if (section('nodemailer')) {
  const top = ceiling();
  const naive = scenario('nodemailer', '10000', sink.url);
  line('the same message through nodemailer, pool of 10 (baseline)', `${fmt(Number(naive['perSecond']))} messages/s${ratio(Number(naive['perSecond']), top)}`);
}
sink.child.kill();

if (section('backtest')) {
  console.log('\nbacktest, rendered, demo data');
  for (const from of million ? ['2024-11-22', '2003-11-21'] : ['2024-11-22']) {
    const dir = mkdtempSync(join(tmpdir(), 'marketwrap-bench-'));
    const run = await cli(['backtest', '--from', from, '--to', '2026-11-20', '--out', join(dir, 'out')], {
      PATH: process.env['PATH'] ?? '',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
    });
    const weeks = /^(\d+) editions/m.exec(run.outputs[0]!)?.[1] ?? '?';
    line(`marketwrap backtest --from ${from} --to 2026-11-20 (${weeks} weeks)`, `${run.seconds.toFixed(0)} s, peak RSS ${run.memory.treePeakMb} MB`);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (section('desk')) {
  const desk = JSON.parse(
    execFileSync(tsx, [join(root, 'bench/desk.ts'), '1000000'], { encoding: 'utf8', maxBuffer: 1 << 20 })
      .trim()
      .split('\n')
      .at(-1)!,
  ) as {
    seedSeconds: number;
    pagesMs: Record<string, number>;
  };
  console.log(`\nthe desk's pages at 1,000,000 subscribers and one sent edition (median of 5; seeded in ${desk.seedSeconds} s)`);
  for (const [page, ms] of Object.entries(desk.pagesMs)) line(`  ${page}`, `${ms} ms`);
}

if (section('startup')) {
  console.log('\nstart-up (median of 5)');
  line('marketwrap --help (compiled, as shipped)', `${startup([bin, '--help'])} ms`);
  line('marketwrap --help (TypeScript through tsx, as before)', `${startup(['--import', 'tsx', join(root, 'src/cli/main.ts'), '--help'])} ms`);
  const dir = mkdtempSync(join(tmpdir(), 'marketwrap-bench-'));
  const buildEnv = { DATA_DIR: join(dir, 'data'), MARKET_DATA: 'demo', LOG_LEVEL: 'silent' };
  line('marketwrap build --data demo (compiled)', `${startup([bin, 'build'], buildEnv)} ms`);
  line('marketwrap build --data demo (tsx)', `${startup(['--import', 'tsx', join(root, 'src/cli/main.ts'), 'build'], buildEnv)} ms`);
  rmSync(dir, { recursive: true, force: true });
}
