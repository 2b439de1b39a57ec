/** Bad input is refused before anything is touched, files are private, damage is found at start-up. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../src/cli/output.js';
import { PROJECT_ROOT } from '../src/shared/context.js';
import { TemplateError } from '../src/commentary/index.js';
import { loadLayout } from '../src/render/index.js';
import { cliDirs as dirs, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/context.js';
import { freePort } from './helpers/ports.js';

describe('bad input touches nothing', () => {
  it('subscribers add with one bad address stores none and creates no data folder', () => {
    const { dir, env } = dirs();
    const run = runCli(['subscribers', 'add', 'good@example.com', 'not-an-address', 'good2@example.com'], env);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(runCli(['subscribers', 'add', 'good@example.com', 'good2@example.com'], env).status).toBe(0);
    expect(runCli(['subscribers', 'list', '--json'], env).stdout).toContain('good2@example.com');
  });

  it('dates outside the calendar, and --to addresses, are refused at once with one line', () => {
    const { dir, env } = dirs();
    for (const args of [
      ['build', '--as-of', '0001-01-01'],
      ['digest', '--as-of', '0999-06-30'],
      ['digest', '--to', 'bad@'],
      ['backtest', '--from', '0001-01-01', '--to', '2026-01-01'],
    ]) {
      const run = runCli(args, env);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(runCli(['build', '--as-of', '0001-01-01'], env).stderr).toContain('--as-of 0001-01-01 is outside the calendar (1928-01-03 to 2099-12-31)');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('a line break in the sender name (a header injection) is a config error', () => {
    const { env } = dirs();
    writeFileSync(env.CONFIG_FILE, JSON.stringify({ sender: { name: 'Wrap\r\nBcc: victim@example.com', email: 'digest@example.com' } }));
    const run = runCli(['build'], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/sender\.name: must not contain control characters/);
  });

  it('a broken MJML template is one line naming the file and line, an input error', async () => {
    const templates = join(tempDir(), 'templates');
    cpSync(join(PROJECT_ROOT, 'templates'), templates, { recursive: true });
    const file = join(templates, 'partials', 'footer.mjml');
    writeFileSync(file, '<mj-section><mj-column><mj-bogus>x</mj-bogus></mj-column></mj-section>\n');
    // Found when the layout loads, at the partial's own line, before any edition is built.
    const error = (() => {
      try {
        return loadLayout(templates, 'digest.mjml');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toBe(`${file}:1: <mj-bogus> is not an MJML tag`);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('files', () => {
  it('the data folder is 0700; the database, the key and outbox mails 0600', () => {
    const { dir, env } = dirs();
    expect(runCli(['digest'], env).status).toBe(0);
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(join(dir, 'data'))).toBe(0o700);
    // With DATABASE_URL (the suite on PostgreSQL) there is no database file to check.
    if (!('DATABASE_URL' in env)) expect(mode(join(dir, 'data', 'marketwrap.sqlite'))).toBe(0o600);
    expect(mode(join(dir, 'data', 'secret.key'))).toBe(0o600);
    const mails = readdirSync(join(dir, 'outbox'));
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) expect(mode(join(dir, 'outbox', mail))).toBe(0o600);
    expect(mode(join(dir, 'outbox'))).toBe(0o700);
  });

  // A damaged SQLite file; the PostgreSQL suite checks its own start-up failure below.
  it.skipIf(process.env['TEST_DATABASE_URL'] !== undefined)('a damaged database is found at start-up, with what to do', () => {
    const { dir, env } = dirs();
    expect(runCli(['subscribers', 'add', 'a@example.com'], env).status).toBe(0);
    const db = join(dir, 'data', 'marketwrap.sqlite');
    const bytes = statSync(db).size;
    writeFileSync(db, Buffer.alloc(bytes, 0x41).fill('SQLite format 3\0', 0, 16));
    const run = runCli(['subscribers', 'list'], env);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/marketwrap\.sqlite (is damaged|is not a database)|database disk image is malformed|file is not a database/);
  });

  // A full disk, simulated with a file size limit (ulimit -f: Node ignores SIGXFSZ, so the write fails instead).
  it.skipIf(process.env['TEST_DATABASE_URL'] !== undefined)('a full disk under the database is one line saying what to do', () => {
    const { dir, env } = dirs();
    expect(runCli(['subscribers', 'add', 'a@example.com'], env).status).toBe(0);
    const csv = join(dir, 'many.csv');
    writeFileSync(csv, `email\n${Array.from({ length: 20_000 }, (_, i) => `reader${i}@example.com`).join('\n')}\n`);
    const script = `ulimit -f 1024; exec "${process.execPath}" "${join(PROJECT_ROOT, 'bin/marketwrap.js')}" subscribers import "${csv}"`;
    const run = spawnSync('sh', ['-c', script], {
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/marketwrap: cannot write to .*marketwrap\.sqlite \(SQLITE_(FULL|IOERR_WRITE)\): the disk is full .*free some space/);
    // What was committed before the disk filled is still there and readable.
    expect(runCli(['subscribers', 'list', '--json'], env).stdout).toContain('a@example.com');
  });

  it('a PostgreSQL server that cannot be reached, or a DATABASE_URL that is not one, is said at start-up in one line', async () => {
    const { env } = dirs();
    const port = await freePort();
    const down = runCli(['subscribers', 'list'], { ...env, DATABASE_URL: `postgres://mw:secret@127.0.0.1:${port}/news` });
    expect(down.status).toBe(2);
    expect(down.stderr.trim()).toMatch(
      new RegExp(`^marketwrap: cannot use PostgreSQL at postgres://mw@127\\.0\\.0\\.1:${port}/news \\(.*ECONNREFUSED.*\\): start the server, or fix DATABASE_URL$`),
    );
    expect(down.stderr).not.toContain('secret');
    const wrong = runCli(['subscribers', 'list'], { ...env, DATABASE_URL: 'mysql://localhost/news' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim()).toMatch(/DATABASE_URL.*must be a postgres:\/\/ URL/);
  });

  it('exported CSV cells cannot run as spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('ann@example.com')).toBe('ann@example.com');
  });
});
