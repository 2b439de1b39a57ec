/** The error catalogue: every user-facing failure is a code with its one line and its exit code. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, FAILURES, Failure, fail, isFailure, isRefusal } from '../src/shared/errors.js';
import { PROJECT_ROOT } from '../src/shared/paths.js';
import { TemplateError } from '../src/templating/handlebars.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the error catalogue', () => {
  it('fills a message from its parameters, with the exit code of its kind', () => {
    const error = fail('LISTEN_FAILED', { host: '127.0.0.1', port: 3000, reason: 'EADDRINUSE', setting: 'PORT' });
    expect(error.message).toBe('cannot listen on 127.0.0.1:3000 (EADDRINUSE): choose a free port with PORT');
    expect(error).toMatchObject({ code: 'LISTEN_FAILED', exitCode: EXIT.input, params: { port: 3000 } });
    expect(fail('EDITION_NEVER_SENT', { id: '2026-W47' }).exitCode).toBe(EXIT.refused);
    expect(fail('DISK_FULL', { file: 'x.sqlite', code: 'SQLITE_FULL' }).exitCode).toBe(EXIT.failed);
    expect(fail('BACKTEST_SOURCE').message).toMatch(/^backtest reads demo data/);
  });

  it('tells its failures apart by code, and refusals by their exit code', () => {
    const refused = fail('SEND_REFUSED', { reason: 'demo data over SMTP' });
    expect(isFailure(refused)).toBe(true);
    expect(isFailure(refused, 'SEND_REFUSED', 'EDITION_TAKEN')).toBe(true);
    expect(isFailure(refused, 'CONFIG_INVALID')).toBe(false);
    expect(isFailure(new Error('demo data over SMTP'))).toBe(false);
    expect(isRefusal(refused)).toBe(true);
    expect(isRefusal(fail('GRACE_INVALID', { value: 'x' }))).toBe(false);
  });

  it('keeps a template failure in the catalogue with its file and line for the studio', () => {
    const error = new TemplateError('templates/digest.mjml', 7, 'invalid MJML: unknown tag');
    expect(error).toBeInstanceOf(Failure);
    expect(error).toMatchObject({ code: 'TEMPLATE_INVALID', exitCode: EXIT.input, file: 'templates/digest.mjml', line: 7 });
    expect(error.message).toBe('templates/digest.mjml:7: invalid MJML: unknown tag');
    expect(new TemplateError('a.hbs', undefined, 'x').message).toBe('a.hbs: x');
  });

  it('says every failure in one line that names what to do, with each placeholder filled', () => {
    for (const [code, { message }] of Object.entries(FAILURES)) {
      expect(message, code).not.toMatch(/\n/);
      // Read after "marketwrap: ": no capital to open it (a variable's name aside), no full stop to end it.
      expect(message, code).not.toMatch(/^[A-Z][a-z]|\.$/);
      const names = [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const filled = new Failure(code as 'SEND_REFUSED', Object.fromEntries(names.map((n) => [n, `<${n}>`])) as { reason: string });
      expect(filled.message, code).not.toMatch(/\{\w+\}|undefined/);
    }
  });

  it('no module under src/ or jobs/ declares an error class of its own beyond those not yet folded', () => {
    // Internal signals that never reach a user (a provider's failure becomes a note, an SMTP reply is
    // classified by the sender, an unreadable report is counted) and the process-boundary carrier: each
    // says why at its definition. The database's failures are catalogue codes (SQLITE_DAMAGED, POSTGRES_*).
    const allowed = ['ProviderError', 'SmtpError', 'UnreadableReport', 'RemoteError', 'TemplateError', 'Failure', 'UserError'];
    const declared = [...sources(join(PROJECT_ROOT, 'src')), ...sources(join(PROJECT_ROOT, 'jobs'))].flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/class (\w+)(?:<[^>]*>)? extends (\w*Error|Failure)\b/g)].map((m) => `${relative(PROJECT_ROOT, file)}: ${m[1]}`),
    );
    expect(declared.filter((d) => !allowed.includes(d.split(': ')[1]!))).toEqual([]);
  });
});
