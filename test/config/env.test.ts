/** The environment: one schema with every rule, checked before any work, and the documents written from it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envExample, envVariables, withEnvTable } from '../../src/config/env-docs.js';
import { loadEnv } from '../../src/config/env.js';
import { PROJECT_ROOT } from '../../src/shared/paths.js';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');

describe('the environment', () => {
  it('.env.example is what the schema writes (run `npm run env-docs` after changing src/config/env.ts)', () => {
    expect(read('.env.example')).toBe(envExample());
  });

  it("docs/configuration.md's variable table is what the schema writes", () => {
    const page = read('docs/configuration.md');
    expect(page).toBe(withEnvTable(page));
    for (const { name } of envVariables()) expect(page).toContain(`| \`${name}\` |`);
  });

  it('documents every variable it reads, each with a description', () => {
    const variables = envVariables();
    expect(variables.length).toBeGreaterThan(25);
    for (const variable of variables) expect(variable.description.length, variable.name).toBeGreaterThan(20);
  });

  it("refuses SMTP_URL's unknown options, naming the option and the choices", () => {
    expect(() => loadEnv({ SMTP_URL: 'smtp://mail.example.com:587?starttls=maybe' })).toThrow(
      'invalid environment: SMTP_URL: ?starttls must be auto, require or never: the options are starttls=auto|require|never and verify=true|false (see .env.example)',
    );
    expect(() => loadEnv({ SMTP_URL: 'smtp://mail.example.com:587?tls=on' })).toThrow(/SMTP_URL: \?tls is not an option/);
    expect(() => loadEnv({ SMTP_URL: 'smtp://mail.example.com:587?verify=no' })).toThrow(/SMTP_URL: \?verify must be true or false/);
    expect(loadEnv({ SMTP_URL: 'smtp://mail.example.com:587?starttls=require&verify=false' }).SMTP_URL).toContain('starttls=require');
    expect(() => loadEnv({ SMTP_URL: 'mail.example.com' })).toThrow(/^invalid environment: SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL \(see/);
  });

  it('takes the DKIM settings all together or not at all', () => {
    expect(() => loadEnv({ DKIM_DOMAIN: 'example.com' })).toThrow(/DKIM_SELECTOR: is not set: DKIM needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY .* together/);
    expect(() => loadEnv({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'mw' })).toThrow(/DKIM_PRIVATE_KEY: is not set/);
    expect(() => loadEnv({ DKIM_SELECTOR: 'mw', DKIM_PRIVATE_KEY_FILE: '/k.pem' })).toThrow(/DKIM_DOMAIN: is not set/);
    expect(loadEnv({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'mw', DKIM_PRIVATE_KEY_FILE: '/k.pem' }).DKIM_PRIVATE_KEY_FILE).toBe('/k.pem');
  });
});
