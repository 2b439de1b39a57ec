/**
 * `.env.example` and the variable table in docs/configuration.md, written from the environment's schema
 * (`npm run env-docs`), so the documentation says what the code checks.
 */
import { z } from 'zod';
import { envSchema } from './env.js';

interface Variable {
  name: string;
  description: string;
  default: string;
}

export function envVariables(): Variable[] {
  const schema = z.toJSONSchema(envSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string; default?: unknown }> };
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    description: property.description ?? '',
    default: property.default === undefined ? '' : String(property.default),
  }));
}

/** Words laid out on lines of at most `width` characters, each line starting with `prefix`. */
function wrap(text: string, prefix: string, width = 105): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}

export const ENV_EXAMPLE_HEADER =
  'marketwrap reads these from the environment, and from a .env file in the working folder when there is one (copy this file to .env); a variable already set in the environment wins over the file. Every one is optional; the defaults run fully offline. Written by `npm run env-docs` from src/config/env.ts: edit the schema, not this file.';

export function envExample(): string {
  const blocks = envVariables().map((v) => [...wrap(v.description, '# '), `${v.name}=${v.default}`].join('\n'));
  return `${wrap(ENV_EXAMPLE_HEADER, '# ').join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function envTable(): string {
  const rows = envVariables().map((v) => `| \`${v.name}\` | ${v.default ? `\`${cell(v.default)}\`` : 'unset'} | ${cell(v.description)} |`);
  return ['| variable | default | what it does |', '| --- | --- | --- |', ...rows].join('\n');
}

export const ENV_TABLE_START = '<!-- env-table: written by `npm run env-docs` from src/config/env.ts -->';
export const ENV_TABLE_END = '<!-- /env-table -->';

/** The page with its table between the markers replaced by the schema's. */
export function withEnvTable(page: string): string {
  const start = page.indexOf(ENV_TABLE_START);
  const end = page.indexOf(ENV_TABLE_END);
  if (start < 0 || end < start) throw new Error(`the page has no ${ENV_TABLE_START} ... ${ENV_TABLE_END} block for the table`);
  return `${page.slice(0, start + ENV_TABLE_START.length)}\n\n${envTable()}\n\n${page.slice(end)}`;
}
