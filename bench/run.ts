/**
 * `npm run bench`: figures, no assertions. The send is the real `marketwrap digest` process (compiled,
 * as shipped), its peak RSS read from /proc. Sends go to Postfix's smtp-sink on loopback when it is
 * installed (apt-get install postfix), else to an smtp-server sink in its own process; where
 * smtp-source exists it measures the same sink at the same size and connection count: the ceiling.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules/.bin/tsx');
const which = (cmd: string) => ['/usr/sbin', '/usr/bin', '/usr/local/sbin'].map((d) => join(d, cmd)).find(existsSync);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const bin = join(root, 'bin/marketwrap.js');

/** Peak resident memory of a process (VmHWM), and of its children while they lived. */
function vmHwm(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** A data folder (and DATABASE_URL's schema, when given) with n confirmed subscribers, and the CLI's environment for it. */
function seededList(n: number, smtpUrl: string, databaseUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'marketwrap-bench-'));
  const database = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  execFileSync(tsx, [join(root, 'bench/scenario.ts'), 'seed', String(n), dir], { env: { ...process.env, ...database }, stdio: 'ignore' });
  const env = {
    PATH: process.env['PATH'] ?? '',
    DATA_DIR: join(dir, 'data'),
    CONFIG_FILE: join(dir, 'marketwrap.config.json'),
    MARKET_DATA: 'demo',
    LOG_LEVEL: 'silent',
    SMTP_URL: smtpUrl,
    ...database,
  };
  return { dir, env };
}

/** The real CLI, as an operator runs it: `marketwrap digest` to n subscribers, its memory read from /proc. */
async function cliDigest(n: number, smtpUrl: string) {
  const { dir, env } = seededList(n, smtpUrl);
  const child = spawn(process.execPath, ['--max-semi-space-size=2', bin, 'digest', '--allow-demo-data'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  let peak = 0;
  let buildPeak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, vmHwm(child.pid!));
    for (const pid of childrenOf(child.pid!)) buildPeak = Math.max(buildPeak, vmHwm(pid));
  }, 20);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
  const m = /: (\d+) sent, .* in ([\d.]+) s/.exec(out);
  if (!m || Number(m[1]) !== n) throw new Error(`digest did not send ${n} messages:\n${out}`);
  return { perSecond: Math.round(n / Number(m[2])), seconds: Number(m[2]), peakMb: Math.round(peak), buildPeakMb: Math.round(buildPeak) };
}

/** `digest --queue-only`, then `count` `marketwrap worker --once` processes sharing the list on PostgreSQL. */
async function cliWorkers(count: number, n: number, smtpUrl: string, postgresUrl: string) {
  const { dir, env } = seededList(n, smtpUrl, `${postgresUrl}?schema=bench_${count}_${n}`);
  const queued = spawnSync(process.execPath, [bin, 'digest', '--queue-only', '--allow-demo-data'], { env, encoding: 'utf8' });
  if (queued.status !== 0) throw new Error(`digest --queue-only failed: ${queued.stderr}`);
  const t0 = performance.now();
  const workers = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--max-semi-space-size=2', bin, 'worker', '--once', '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const outputs = workers.map((w) => {
    let out = '';
    w.stdout.on('data', (c: Buffer) => (out += c.toString()));
    return () => out;
  });
  let peak = 0;
  const sampler = setInterval(() => {
    for (const w of workers) peak = Math.max(peak, vmHwm(w.pid!));
  }, 20);
  await Promise.all(workers.map((w) => new Promise((resolve) => w.on('exit', resolve))));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
  const finals = outputs.map((o) => JSON.parse(o().trim().split('\n').at(-1)!) as { sent: number });
  if (Math.max(...finals.map((f) => f.sent)) !== n) throw new Error(`the workers did not send ${n} messages: ${outputs.map((o) => o()).join('\n')}`);
  return { perSecond: Math.round(n / seconds), seconds: seconds.toFixed(1), peakMb: Math.round(peak) };
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

function scenario(...args: string[]): Record<string, number | string> {
  const out = execFileSync(tsx, [join(root, 'bench/scenario.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!);
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

const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

console.log(`marketwrap bench on ${process.platform} ${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
const render = scenario('render', '20000');
line('per-recipient personalisation (real digest), median', `${Number(render['medianUs']).toFixed(1)} µs`);
line('per-recipient personalisation, p99', `${Number(render['p99Us']).toFixed(1)} µs`);
line('per-recipient personalisation with DKIM (RSA-2048), median', `${Number(render['dkimMedianUs']).toFixed(1)} µs`);
line('message size (MIME, bytes) / HTML (bytes)', `${render['messageBytes']} / ${render['htmlBytes']}`);

const sink = await startSink();
console.log(`\nsink: ${sink.kind} on ${sink.url}, 10 connections`);
let ceiling: number | undefined;
const source = which('smtp-source');
if (source) {
  const n = 10_000;
  const t0 = performance.now();
  spawnSync(source, ['-d', '-s', '10', '-m', String(n), '-l', String(render['messageBytes']), `127.0.0.1:${sink.port}`], { stdio: 'ignore' });
  ceiling = n / ((performance.now() - t0) / 1000);
  line(`smtp-source -d -s 10 -m ${n} -l ${render['messageBytes']} (the ceiling)`, `${Math.round(ceiling)} messages/s`);
} else line('smtp-source', 'not installed (apt-get install postfix) — no ceiling measured');

for (const n of [10_000, 100_000]) {
  const run = await cliDigest(n, sink.url);
  line(`marketwrap digest, ${n.toLocaleString('en-US')} subscribers`, `${run.perSecond} messages/s (${run.seconds} s), sender peak RSS ${run.peakMb} MB`);
  if (ceiling) line('  ratio to the ceiling', `${((run.perSecond / ceiling) * 100).toFixed(0)}%`);
  line('  the edition build (its own process, done before the send)', `peak RSS ${run.buildPeakMb} MB`);
}
const postgres = (await import('../test/helpers/postgres.js')) as typeof import('../test/helpers/postgres.js');
if (postgres.hasPostgres) {
  const server = await postgres.startPostgres();
  console.log('\nPostgreSQL (a throwaway cluster on loopback), each worker with 10 connections');
  for (const count of [1, 2]) {
    const run = await cliWorkers(count, 10_000, sink.url, server.url);
    line(`marketwrap worker x${count}, 10,000 subscribers`, `${run.perSecond} messages/s (${run.seconds} s, start-up included), peak RSS ${run.peakMb} MB a worker`);
    if (ceiling) line('  ratio to the ceiling', `${((run.perSecond / ceiling) * 100).toFixed(0)}%`);
  }
  server.stop();
} else line('PostgreSQL workers', 'no server installed (apt-get install postgresql) — not measured');
const naive = scenario('nodemailer', '10000', sink.url);
line('the same message through nodemailer, pool of 10 (baseline)', `${naive['perSecond']} messages/s (${naive['seconds']} s)`);
sink.child.kill();

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

console.log('\nstart-up (median of 5)');
line('marketwrap --help (compiled, as shipped)', `${startup([bin, '--help'])} ms`);
line('marketwrap --help (TypeScript through tsx, as before)', `${startup(['--import', 'tsx', join(root, 'src/cli.ts'), '--help'])} ms`);
const buildEnv = { DATA_DIR: join(mkdtempSync(join(tmpdir(), 'marketwrap-bench-')), 'data'), MARKET_DATA: 'demo', LOG_LEVEL: 'silent' };
line('marketwrap build --data demo (compiled)', `${startup([bin, 'build'], buildEnv)} ms`);
line('marketwrap build --data demo (tsx)', `${startup(['--import', 'tsx', join(root, 'src/cli.ts'), 'build'], buildEnv)} ms`);
