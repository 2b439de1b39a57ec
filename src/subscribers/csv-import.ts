/**
 * Addresses from a CSV file, streamed (a list of millions never sits in memory), parsed by csv-parse:
 * quotes, `;` or tab separators, a BOM, and the header names exports use ("email", "Email Address"
 * from Mailchimp, "E-mail"). Without a header, the first column is the address.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { fail, isFailure, messageOf } from '../shared/errors.js';

const EMAIL_HEADER = /^e-?mail(\s*address)?$/i;

export interface AddressCell {
  /** 1-based line in the file, for the report. */
  line: number;
  value: string;
}

export async function* readAddresses(file: string): AsyncGenerator<AddressCell> {
  if (!existsSync(file) || !statSync(file).isFile()) throw fail('CSV_FILE_MISSING', { file });
  yield* readAddressesFrom(createReadStream(file), file);
}

/** The same from any stream (the desk's pasted CSV); `name` says what it was in a refusal. */
export async function* readAddressesFrom(input: Readable, name: string): AsyncGenerator<AddressCell> {
  const parser = input.pipe(parse({ bom: true, delimiter: [',', ';', '\t'], relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, info: true }));
  let column: number | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (column === undefined) {
        const header = record.findIndex((cell) => EMAIL_HEADER.test(cell));
        column = Math.max(header, 0);
        if (header >= 0) continue;
      }
      yield { line: info.lines, value: record[column] ?? '' };
    }
  } catch (error) {
    if (isFailure(error)) throw error;
    throw fail('CSV_FILE_UNREADABLE', { file: name, reason: messageOf(error).split('\n')[0]! });
  }
}
