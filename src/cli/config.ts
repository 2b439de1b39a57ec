/** `config show | schema | env`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PROJECT_ROOT } from '../shared/paths.js';
import { show } from './output.js';
import { withContext } from './shared.js';

export function registerConfig(cli: Command): void {
  const config = cli.command('config').description('the config file');
  config
    .command('show')
    .description('print the effective config (file merged over the defaults) as JSON')
    .action(withContext((ctx) => console.log(JSON.stringify(ctx.config, null, 2))));
  config
    .command('schema')
    .description('print the JSON Schema of marketwrap.config.json')
    .option('--write', 'write it to marketwrap.config.schema.json for editor completion')
    .action(async (flags: { write?: boolean }) => {
      const { newsletterJsonSchema } = await import('../config/newsletter.js');
      const schema = `${JSON.stringify(newsletterJsonSchema(), null, 2)}\n`;
      if (!flags.write) return void process.stdout.write(schema);
      const file = `${PROJECT_ROOT}/marketwrap.config.schema.json`;
      writeFileSync(file, schema);
      console.log(`wrote ${show(file)}`);
    });
  config
    .command('env')
    .description('print .env.example: every environment variable, from the schema that checks them')
    .option('--write', 'write .env.example and the variable table in docs/configuration.md')
    .action(async (flags: { write?: boolean }) => {
      const { envExample, withEnvTable } = await import('../config/env-docs.js');
      if (!flags.write) return void process.stdout.write(envExample());
      const example = `${PROJECT_ROOT}/.env.example`;
      const page = `${PROJECT_ROOT}/docs/configuration.md`;
      writeFileSync(example, envExample());
      writeFileSync(page, withEnvTable(readFileSync(page, 'utf8')));
      console.log(`wrote ${show(example)} and ${show(page)}`);
    });
}
