/**
 * `npm run bench`: figures, no assertions. Sends go to Postfix's smtp-sink on loopback when it is
 * installed (apt-get install postfix), else to an smtp-server sink in its own process; where
 * smtp-source exists it measures the same sink at the same size and connection count: the ceiling.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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

const ours = scenario('send', '10000', sink.url);
line('marketwrap send, 10,000 personalised digests', `${ours['perSecond']} messages/s (${ours['seconds']} s), peak RSS ${ours['peakRssMb']} MB`);
if (ceiling) line('  ratio to the ceiling', `${((Number(ours['perSecond']) / ceiling) * 100).toFixed(0)}%`);
const naive = scenario('nodemailer', '10000', sink.url);
line('plain nodemailer, pool of 10, one sendMail each (baseline)', `${naive['perSecond']} messages/s (${naive['seconds']} s), peak RSS ${naive['peakRssMb']} MB`);
const big = scenario('send', '100000', sink.url);
line('marketwrap send, 100,000 subscribers', `${big['perSecond']} messages/s (${big['seconds']} s), peak RSS ${big['peakRssMb']} MB`);
sink.child.kill();
