/**
 * Every sender agrees: what an edition's send needs is frozen with it when it is queued, and `digest`,
 * `digest --resume`, `serve` and `worker` all check it (checkSendable) before the first message. Real
 * CLI runs on SQLite files in temporary folders, a real SMTP sink on loopback, the clock pinned.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { buildEdition } from '../../src/edition/build.js';
import { type Context, createContext } from '../../src/shared/context.js';
import { chartSrc, pointChartsAt } from '../../src/render/chart-refs.js';
import { cliDirs, runCli, runCliAsync, startCli } from '../helpers/cli.js';
import { FIXED_NOW, OFFLINE_ENV, testDatabaseEnv, tickingClock } from '../helpers/context.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

const AS_OF = ['--as-of', '2026-11-20'];
/** Several real CLI runs a test, each building an edition in a child process, on shared cores. */
const SLOW = 120_000;
let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

/** A publisher's folders with `n` confirmed subscribers (through the real CLI). */
function publisher(n: number, extra: Record<string, string> = {}) {
  const { dir, env } = cliDirs();
  const all = { ...env, ...extra };
  const emails = Array.from({ length: n }, (_, i) => `reader${i}@example.com`);
  const added = runCli(['subscribers', 'add', ...emails], all);
  expect(added.status, added.stderr).toBe(0);
  return { dir, env: all, emails };
}

/** The one line a refusal prints on stderr. */
const oneLine = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
};

describe('demo data goes out only where the edition allows it (issue 22, item 4)', () => {
  it(
    'an edition queued to the outbox from demo data is refused by a worker with SMTP_URL: exit 3, nothing sent; --resume --allow-demo-data sends it',
    async () => {
      sink = await startSmtpSink();
      const { env } = publisher(2);
      const queued = runCli(['digest', '--queue-only', '--json', ...AS_OF], env);
      expect(queued.status, queued.stderr).toBe(0);
      expect(JSON.parse(queued.stdout)).toMatchObject({ demo: true, note: expect.stringMatching(/queued for 2 subscribers/) });
      // The policy is saved with the edition: no demo data over SMTP.
      expect(JSON.parse(readFileSync(join(env.DATA_DIR, 'editions', '2026-W47.json'), 'utf8')).terms).toMatchObject({ demoOverSmtp: false });

      const worker = await runCliAsync(['worker', '--once', '--poll', '0.2'], { ...env, SMTP_URL: sink.url });
      expect(worker.status, worker.stdout + worker.stderr).toBe(3);
      expect(oneLine(worker.stderr)).toMatch(
        /^marketwrap worker: 2026-W47: not sending 2026-W47 over SMTP: it was built from demo data and queued without --allow-demo-data; send it with `marketwrap digest --resume --allow-demo-data`/,
      );
      expect(sink.received).toHaveLength(0);

      // digest --resume agrees with the worker, and says the same.
      const resume = await runCliAsync(['digest', '--resume', ...AS_OF], { ...env, SMTP_URL: sink.url });
      expect(resume.status).toBe(3);
      expect(oneLine(resume.stderr)).toMatch(/built from demo data and queued without --allow-demo-data/);
      expect(sink.received).toHaveLength(0);

      const allowed = await runCliAsync(['digest', '--resume', '--allow-demo-data', '--json', ...AS_OF], { ...env, SMTP_URL: sink.url });
      expect(allowed.status, allowed.stderr).toBe(0);
      expect(sink.received).toHaveLength(2);
    },
    SLOW,
  );
});

describe('the send terms are frozen with the edition (issue 22, item 9)', () => {
  it(
    'a worker on another SECRET_KEY or another sender is refused in one line (exit 3) and sends nothing; one with the same settings sends from the frozen sender',
    async () => {
      sink = await startSmtpSink();
      const { env } = publisher(3, { SMTP_URL: '', MAIL_FROM: 'Wrap <wrap@news.example.org>', SECRET_KEY: 'p'.repeat(40) });
      const queued = runCli(['digest', '--queue-only', '--allow-demo-data', '--json', ...AS_OF], { ...env, SMTP_URL: sink.url });
      expect(queued.status, queued.stderr).toBe(0);
      const smtp = { ...env, SMTP_URL: sink.url };

      const otherKey = await runCliAsync(['worker', '--once', '--poll', '0.2'], { ...smtp, SECRET_KEY: 'z'.repeat(40) });
      expect(otherKey.status).toBe(3);
      const keyLine = oneLine(otherKey.stderr);
      expect(keyLine).toMatch(
        /not sending 2026-W47: .*SECRET_KEY is another key \(fingerprint [0-9a-f]{16}, the edition's links need [0-9a-f]{16}\).*give this sender the publisher's settings/,
      );
      expect(keyLine).not.toContain('z'.repeat(40));
      expect(keyLine).not.toContain('p'.repeat(40));

      const oldConfig = await runCliAsync(['worker', '--once', '--poll', '0.2'], { ...smtp, MAIL_FROM: 'Old <digest@old.example.net>' });
      expect(oldConfig.status).toBe(3);
      expect(oneLine(oldConfig.stderr)).toMatch(
        /the sender is "Old <digest@old\.example\.net>", not "Wrap <wrap@news\.example\.org>".*the list id is .*old\.example\.net.*the Message-ID domain is old\.example\.net, not news\.example\.org/,
      );
      expect(sink.received).toHaveLength(0);

      const same = await runCliAsync(['worker', '--once', '--poll', '0.2'], smtp);
      expect(same.status, same.stderr).toBe(0);
      expect(sink.received).toHaveLength(3);
      for (const message of sink.received) {
        expect(message.parsed.from?.value[0]).toMatchObject({ name: 'Wrap', address: 'wrap@news.example.org' });
        expect(message.parsed.messageId).toMatch(/@news\.example\.org>$/);
      }
    },
    SLOW,
  );
});

describe('a sent edition is immutable (issue 22, P1)', () => {
  it(
    'build and digest --dry-run of a week that went out write the next id, never its files; --new-edition sends that id',
    () => {
      const { env } = publisher(1);
      const sent = runCli(['digest', '--json', ...AS_OF], env);
      expect(sent.status, sent.stderr).toBe(0);
      const first = JSON.parse(sent.stdout);
      expect(first.editionId).toBe('2026-W47');
      const dir = join(env.DATA_DIR, 'editions');
      const before = ['2026-W47.html', '2026-W47.mail.html', '2026-W47.json'].map((f) => readFileSync(join(dir, f), 'utf8'));

      const build = runCli(['build', '--data', 'demo:risk-off', ...AS_OF], env);
      expect(build.status, build.stderr).toBe(0);
      expect(build.stdout).toMatch(/^Edition 2026-W47-2: /);
      expect(build.stdout).toMatch(/Note: edition 2026-W47 went out already and stays as it was sent: this build is 2026-W47-2/);

      const dry = runCli(['digest', '--dry-run', '--data', 'demo:risk-off', '--json', ...AS_OF], env);
      expect(dry.status, dry.stderr).toBe(0);
      const rebuilt = JSON.parse(dry.stdout);
      expect(rebuilt.editionId).toBe('2026-W47-2');
      expect(rebuilt.files.webHtml).toMatch(/2026-W47-2\.html$/);
      // The subject is the new build's, beside the new build's files, and the web version names its own id.
      expect(rebuilt.subject).not.toBe(first.subject);
      expect(readFileSync(rebuilt.files.text, 'utf8')).toContain('Edition 2026-W47-2');

      expect(['2026-W47.html', '2026-W47.mail.html', '2026-W47.json'].map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);

      const again = runCli(['digest', ...AS_OF], env);
      expect(again.status).toBe(3);
      expect(oneLine(again.stderr)).toMatch(/edition 2026-W47 was already sent .*--new-edition/);
      const second = runCli(['digest', '--new-edition', '--data', 'demo:risk-off', '--json', ...AS_OF], env);
      expect(second.status, second.stderr).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ editionId: '2026-W47-2', subject: rebuilt.subject });
    },
    SLOW,
  );
});

describe('a build that loses the race to a started edition (issue 22, P1)', () => {
  it(
    'changes neither its files nor what senders read from the database',
    async () => {
      const { env } = cliDirs();
      const shared = { ...env, ...OFFLINE_ENV, ...testDatabaseEnv(), MARKET_DATA: 'demo', LOG_LEVEL: 'silent' };
      const winner = createContext({ env: shared, clock: tickingClock(FIXED_NOW) });
      // The loser checks the week before the winner claims it, and builds (another story) while the winner sends.
      let loserCtx: Context;
      let sent: { subject: string; sendable: string } | undefined;
      const loser = createContext({
        env: shared,
        clock: tickingClock(FIXED_NOW),
        buildEdition: async (options) => {
          const result = await weeklyDigest.run(winner, { asOf: '2026-11-20' });
          sent = { subject: result.subject, sendable: (await winner.store.sendable('2026-W47'))! };
          return buildEdition(loserCtx, { ...options, data: 'demo:risk-off' });
        },
      });
      loserCtx = loser;
      try {
        await winner.subscribers.add('ann@example.com');
        await expect(weeklyDigest.run(loser, { asOf: '2026-11-20' })).rejects.toThrow(/claimed by another sender a moment ago/);
        const files = join(env.DATA_DIR, 'editions');
        expect(await winner.store.sendable('2026-W47')).toBe(sent!.sendable);
        expect((await winner.store.edition('2026-W47'))!.subject).toBe(sent!.subject);
        expect(JSON.parse(readFileSync(join(files, '2026-W47.json'), 'utf8')).subject).toBe(sent!.subject);
        // The saved email points at the PNGs beside it; with its Content-IDs back it is what was sent.
        expect(pointChartsAt(readFileSync(join(files, '2026-W47.mail.html'), 'utf8'), chartSrc)).toBe(JSON.parse(sent!.sendable).html);
      } finally {
        await loser.close();
        await winner.close();
      }
    },
    SLOW,
  );
});

describe('placeholder settings are refused on a real send (issue 22, P3)', () => {
  // TEST-NET-1: not loopback, and never connected to (the refusal comes first).
  const remote = 'smtp://192.0.2.1:2525';

  it(
    'digest to a server not on loopback with the example sender, postal address and an http PUBLIC_URL: exit 3, one line saying what to set',
    () => {
      const { env } = publisher(1);
      const run = runCli(['digest', '--allow-demo-data', ...AS_OF], { ...env, SMTP_URL: remote });
      expect(run.status).toBe(3);
      expect(oneLine(run.stderr)).toMatch(
        /not sending 2026-W47 to the list over SMTP with placeholder settings: the sender is still digest@example\.com \(set MAIL_FROM, or "sender" in the config\); the postal address is still the example one \(set "postalAddress" in the config\); PUBLIC_URL is http:\/\/localhost:3000, not https/,
      );
    },
    SLOW,
  );

  it(
    'a worker meets the same refusal for an edition queued to the outbox',
    async () => {
      const { env } = publisher(1);
      const queued = runCli(['digest', '--queue-only', '--allow-demo-data', ...AS_OF], env);
      expect(queued.status, queued.stderr).toBe(0);
      const worker = await runCliAsync(['worker', '--once', '--poll', '0.2'], { ...env, SMTP_URL: remote });
      expect(worker.status).toBe(3);
      expect(oneLine(worker.stderr)).toMatch(/placeholder settings: the sender is still digest@example\.com/);
    },
    SLOW,
  );

  it(
    'with the settings set, only an http PUBLIC_URL is left to say',
    () => {
      const { dir, env } = publisher(1);
      const config = join(dir, 'marketwrap.config.json');
      writeFileSync(config, JSON.stringify({ sender: { name: 'Wrap', email: 'wrap@news.example.org' }, postalAddress: 'Wrap Ltd, 5 Real Road, Leeds LS1 1AA, UK' }));
      const run = runCli(['digest', '--allow-demo-data', ...AS_OF], { ...env, CONFIG_FILE: config, SMTP_URL: remote });
      expect(run.status).toBe(3);
      expect(oneLine(run.stderr)).toMatch(/placeholder settings: PUBLIC_URL is http:\/\/localhost:3000, not https \(set PUBLIC_URL to the site's https:\/\/ address\); a loopback/);
    },
    SLOW,
  );
});

describe('no provider answers (issue 22, P5)', () => {
  const unreachable = { MARKET_DATA: 'auto', MARKET_TIMEOUT_MS: '500' };

  it(
    'digest over SMTP is refused (exit 3, not 2), saying why, with the notes',
    async () => {
      sink = await startSmtpSink();
      const { env } = publisher(1, unreachable);
      const run = await runCliAsync(['digest', ...AS_OF], { ...env, SMTP_URL: sink.url });
      expect(run.status).toBe(3);
      expect(oneLine(run.stderr)).toMatch(
        /not sending 2026-W47 over SMTP: it was built from demo data \(no market data provider could be reached \(yahoo .*ECONNREFUSED.*\): this edition uses demo data\); use live data, or pass --allow-demo-data/,
      );
      expect(sink.received).toHaveLength(0);
    },
    SLOW,
  );

  it(
    'POST /admin/send says what to do over HTTP, where no flag can be passed',
    async () => {
      sink = await startSmtpSink();
      const { env } = publisher(1, unreachable);
      const token = 'a'.repeat(32);
      const serve = startCli(['serve', '--grace', '0'], { ...env, SMTP_URL: sink.url, PORT: '0', ADMIN_TOKEN: token });
      try {
        const end = Date.now() + 20_000;
        const listening = () => /at (http:\/\/\S+) \(public URL/.exec(serve.stdout())?.[1];
        while (!listening()) {
          if (Date.now() > end) throw new Error(`serve did not start: ${serve.stdout()}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const address = listening()!;
        const res = await fetch(`${address}/admin/send`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(409);
        const { error } = (await res.json()) as { error: string };
        expect(error).toMatch(
          /built from demo data .*run `marketwrap digest --allow-demo-data` on the server to send it anyway \(POST \/admin\/send never sends demo data over SMTP\)$/,
        );
        expect(error).not.toMatch(/pass --allow-demo-data/);
        expect(sink.received).toHaveLength(0);
      } finally {
        serve.child.kill('SIGTERM');
        await serve.done;
      }
    },
    SLOW,
  );
});

describe('the printed bounds and notes are true (issue 22, L4 and L6)', () => {
  it(
    'a one-recipient send does not claim a crash could leave 40 messages unaccounted for, and says the bound is per sender',
    async () => {
      sink = await startSmtpSink();
      const { env } = publisher(1);
      const run = await runCliAsync(['digest', '--allow-demo-data', ...AS_OF], { ...env, SMTP_URL: sink.url });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).not.toMatch(/at most 40/);
      expect(run.stdout).toMatch(/A crash can leave at most 1 message of this sender's unaccounted for \(a window per sender: each worker adds its own/);
    },
    SLOW,
  );

  it(
    'a required instrument without data says why in its own line, in digest and build, never "the notes above"',
    () => {
      const { env } = publisher(1);
      const digest = runCli(['digest', '--data', 'live', ...AS_OF], env);
      expect(digest.status).toBe(3);
      const line = oneLine(digest.stderr);
      expect(line).not.toMatch(/notes above/);
      expect(line).toMatch(
        /S&P 500 \(\^GSPC\) has no data from yahoo:\^GSPC \(yahoo \^GSPC: unreachable .*ECONNREFUSED.*\): it is required; fix its source or mark it "required": false/,
      );
      const build = runCli(['build', '--data', 'live', ...AS_OF], env);
      expect(build.status, build.stderr).toBe(0);
      expect(build.stdout).not.toMatch(/notes above/);
      expect(build.stdout).toMatch(/ {2}Data: /);
      expect(build.stdout).toMatch(/WARNING: S&P 500 \(\^GSPC\) has no data from yahoo:\^GSPC \(yahoo \^GSPC: unreachable/);
    },
    SLOW,
  );
});
