/**
 * Named SQL queries (as listmonk's queries.sql): each database keeps its SQL in `.sql` files of
 * `-- name: claim` blocks beside its code (src/db/<database>/queries/), read once when the database
 * opens. Comment lines just above a `-- name:` line document that query; they and a closing `;` are not
 * sent. The code declares the names it asks for; a name it asks for that no file defines, or one a file
 * defines that the code never asks for, stops the open, so a mistyped or stale query fails before any
 * work, not at the first call.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The desk's queries (desk.sql, desk-web.sql): the same names in both databases, each in its dialect. */
export const DESK_QUERY_NAMES = [
  'editionReviews',
  'editionReview',
  'saveDraft',
  'approveEdition',
  'holdEdition',
  'useReviewLink',
  'subscriberCounts',
  'subscriberDays',
  'editionResults',
  'leaveBeforeErasure',
  'countResults',
  'resultsQueued',
  'resultsRequeued',
  'pruneAdminTokens',
  'saveAdminToken',
  'adminSession',
  'takeAdminToken',
  'countClick',
  'clickCounts',
  'searchSubscribers',
  'deliveriesOf',
  'lastFetches',
  'feedbackLog',
] as const;

const NAME_LINE = /^--\s*name:\s*(\S+)\s*$/;

const isComment = (line: string) => line.trim() === '' || line.trim().startsWith('--');

/** The `-- name: x` blocks of one file's text: each its SQL up to the next block's comments, without a closing `;`. */
export function parseQueries(text: string, file: string): Map<string, string> {
  const found = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const close = () => {
    if (name === undefined) {
      if (!lines.every(isComment)) throw new Error(`${file}: SQL before the first "-- name:" line`);
      return;
    }
    while (lines.length > 0 && isComment(lines.at(-1)!)) lines.pop();
    const sql = lines.join('\n').trim().replace(/;$/, '');
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new Error(`${file}: query name "${name}" must be camelCase letters and digits`);
    if (found.has(name)) throw new Error(`${file}: query "${name}" is named twice`);
    if (sql === '') throw new Error(`${file}: query "${name}" has no SQL`);
    found.set(name, sql);
  };
  for (const line of text.split('\n')) {
    const match = NAME_LINE.exec(line);
    if (!match) {
      lines.push(line);
      continue;
    }
    close();
    name = match[1]!;
    lines = [];
  }
  close();
  return found;
}

/** Every query of the `.sql` files in `dir`, checked against `names`, the ones the code asks for. */
export function loadQueries<N extends string>(dir: string, names: readonly N[]): Readonly<Record<N, string>> {
  const all = new Map<string, { sql: string; file: string }>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    for (const [name, sql] of parseQueries(readFileSync(join(dir, file), 'utf8'), file)) {
      const twice = all.get(name);
      if (twice) throw new Error(`${dir}: query "${name}" is in both ${twice.file} and ${file}`);
      all.set(name, { sql, file });
    }
  }
  const missing = names.filter((n) => !all.has(n));
  const unused = [...all.keys()].filter((n) => !(names as readonly string[]).includes(n));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(
      `${dir}: ${[missing.length > 0 ? `no query named ${missing.join(', ')}` : '', unused.length > 0 ? `queries never used: ${unused.join(', ')}` : ''].filter(Boolean).join('; ')}`,
    );
  }
  return Object.fromEntries(names.map((n) => [n, all.get(n)!.sql])) as Record<N, string>;
}

/** `load`'s result, computed on the first call (the first open) and kept. */
export function once<T>(load: () => T): () => T {
  let value: { loaded: T } | undefined;
  return () => {
    value ??= { loaded: load() };
    return value.loaded;
  };
}
