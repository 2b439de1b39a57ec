/**
 * One error model, one catalogue (as nodemailer's lib/errors.js): every failure a user can act on has a
 * code here with its exit code and its one line, `{name}` standing for what the throw site knows. Exit 2
 * is input to fix (config, an address, a date, a template), 3 a send refused on purpose (already sent,
 * demo data over SMTP), 1 a failure to retry once its cause is gone; anything thrown that is not from
 * the catalogue is a bug and exits 1 with its stack.
 */
export const EXIT = { ok: 0, failed: 1, input: 2, refused: 3, interrupted: 130 } as const;

const GENERATE_KEY = '`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`';

export const FAILURES = {
  // Settings and files the user gives.
  ENV_INVALID: { exit: 'input', message: 'invalid environment: {issues} (see .env.example)' },
  DOTENV_UNREADABLE: { exit: 'input', message: '{file} cannot be read ({reason}): fix it, or move it aside' },
  CONFIG_INVALID: { exit: 'input', message: '{source} is invalid: {issues}' },
  CONFIG_NOT_JSON: { exit: 'input', message: '{file} is not valid JSON: {reason}; fix the file or delete it to use the defaults' },
  TEMPLATE_INVALID: { exit: 'input', message: '{file}{at}: {problem}' },
  DKIM_KEY_FILE_UNREADABLE: { exit: 'input', message: 'DKIM_PRIVATE_KEY_FILE {file}: {reason}: give the path of a PEM private key' },
  DKIM_KEY_INVALID: { exit: 'input', message: `the DKIM private key is not a PEM RSA or Ed25519 private key ({reason}): generate one with ${GENERATE_KEY}` },
  DKIM_KEY_TOO_SHORT: {
    exit: 'input',
    message: `the DKIM private key is a {bits}-bit RSA key, which receivers ignore (RFC 8301 needs at least {min}): generate one with ${GENERATE_KEY}`,
  },
  LISTEN_FAILED: { exit: 'input', message: 'cannot listen on {host}:{port} ({reason}): choose a free port with {setting}' },
  GRACE_INVALID: { exit: 'input', message: '--grace "{value}" is not a number of hours: use e.g. --grace 36' },
  WEEKS_INVALID: { exit: 'input', message: '--weeks "{value}" must be a whole number of weeks from 1 to 520' },
  // The database as configured: a damaged file, a server that cannot be reached, a bad DATABASE_URL.
  SQLITE_DAMAGED: { exit: 'input', message: '{file} is damaged ({why}): restore it from a backup, or move it aside to start afresh' },
  POSTGRES_SCHEMA_INVALID: { exit: 'input', message: 'DATABASE_URL: schema "{schema}" must be lower-case letters, digits and _' },
  POSTGRES_UNREACHABLE: { exit: 'input', message: 'cannot use PostgreSQL at {where} ({reason}): start the server, or fix DATABASE_URL' },
  // Subscribers and their addresses.
  ADDRESS_INVALID: { exit: 'input', message: '"{input}" {reason}: give an address like name@example.com' },
  SUBSCRIBER_REFUSED: { exit: 'input', message: '{email} {why}, and cannot be added{rest}' },
  SUBSCRIBER_UNKNOWN: { exit: 'input', message: '{email} is not on the list: see `marketwrap subscribers list`' },
  CSV_FILE_MISSING: { exit: 'input', message: 'no file {file}: give the path of a CSV file' },
  CSV_FILE_UNREADABLE: { exit: 'input', message: '{file} is not a readable CSV file ({reason}): export it again as CSV' },
  MAILBOX_NOT_SET: { exit: 'input', message: 'BOUNCE_IMAP_URL is not set: give the bounce mailbox as imaps://user:password@host/INBOX' },
  MAILBOX_UNREADABLE: { exit: 'input', message: 'cannot read the bounce mailbox at {host} ({reason}): check BOUNCE_IMAP_URL' },
  // Dates and market data.
  DATE_INVALID: { exit: 'input', message: '{flag} "{input}" {problem}' },
  DATE_OUTSIDE_CALENDAR: { exit: 'input', message: '{flag} {input} is outside the calendar ({first} to {last})' },
  AS_OF_AHEAD: { exit: 'input', message: '--as-of {input} is after the last completed session ({latest}): use {latest} or earlier' },
  DATA_SOURCE_UNKNOWN: { exit: 'input', message: 'unknown data source "{spec}": use auto, live, demo or demo:<scenario> ({scenarios})' },
  DEMO_SCENARIO_UNKNOWN: { exit: 'input', message: 'unknown demo scenario "{scenario}": choose one of {scenarios}' },
  MARKET_DATA_UNREACHABLE: { exit: 'input', message: 'no market data provider could be reached ({reason}); check the network, or send demo data with --allow-demo-data' },
  CACHE_EMPTY: { exit: 'input', message: 'no cached closes for {symbol}: run `marketwrap data fetch` first (instruments: {instruments})' },
  CSV_DATA_FOLDER_MISSING: { exit: 'input', message: 'no folder {dir}: point csv:<folder> at a folder of <SYMBOL>.csv files' },
  CSV_DATA_NO_FILES: { exit: 'input', message: '{dir} holds no CSV file for any configured instrument (GSPC.csv for ^GSPC, ...)' },
  CSV_DATA_HEADER: { exit: 'input', message: '{file}: the header needs Date and Close columns (found {columns})' },
  CSV_DATA_CLOSE: { exit: 'input', message: '{file}:{line}: "{cell}" is not a positive close' },
  CSV_DATA_INVALID: { exit: 'input', message: '{file}: {problem}' },
  BACKTEST_SOURCE: { exit: 'input', message: 'backtest reads demo data (demo:<scenario>), cached closes (cache) or CSV files (csv:<folder>), never the network' },
  BACKTEST_RANGE: { exit: 'input', message: '--from {from} must be before --to {to}' },
  BACKTEST_NO_SESSIONS: { exit: 'input', message: 'no sessions between {from} and {to}' },
  // The publisher's review of an edition.
  REVIEW_INPUT_INVALID: { exit: 'input', message: '{problem}' },
  EDITION_UNKNOWN: { exit: 'input', message: 'no edition {id}: `marketwrap editions list` shows the editions built' },
  EDITION_STARTED: { exit: 'refused', message: 'cannot {verb} {id}: it {state}, and a send is never changed once it has begun' },
  // Sends refused on purpose: nothing was sent, the line says what to do.
  SEND_REFUSED: { exit: 'refused', message: '{reason}' },
  EDITION_TAKEN: {
    exit: 'refused',
    message:
      'edition {id} {state} ({sent} sent, {queued} queued, {failed} failed): use --resume to continue it, --retry-failed to retry temporary failures, or --new-edition to send a new edition of this week',
  },
  EDITION_CLAIMED_ELSEWHERE: { exit: 'refused', message: 'edition {id} was claimed by another sender a moment ago: not sending it twice' },
  EDITION_NEVER_SENT: { exit: 'refused', message: 'edition {id} was never sent: run without --resume or --retry-failed' },
  SAVED_EDITION_MISSING: { exit: 'refused', message: 'edition {id} has no saved files in {dir}: it cannot be resumed' },
  SAVED_EDITION_NOT_JSON: { exit: 'refused', message: '{file} is not valid JSON ({reason}): restore it from a backup' },
  SAVED_EDITION_INVALID: { exit: 'refused', message: '{file} is not a saved edition ({problem}): restore it from a backup' },
  QUEUED_EDITION_NOT_JSON: { exit: 'refused', message: 'edition {id} in the database is not valid JSON ({reason}): queue it again with `marketwrap digest`' },
  QUEUED_EDITION_INVALID: { exit: 'refused', message: 'edition {id} in the database is not a sendable edition ({problem})' },
  // Failures to retry once their cause is gone.
  BUILD_PROCESS_STOPPED: {
    exit: 'failed',
    message: 'the edition build process stopped ({how}) before it finished: run the command again; if it stops again, run `marketwrap build` to see why',
  },
  // The database went away while working (a restart, a lost network): what was committed stays.
  POSTGRES_LOST: {
    exit: 'failed',
    message: 'lost PostgreSQL at {where} ({reason}): nothing committed is lost; when it is back, run the command again (a send: `marketwrap digest --resume`)',
  },
  DISK_FULL: {
    exit: 'failed',
    message:
      'cannot write to {file} ({code}): the disk is full or a file size limit is reached; free some space (or raise the limit) and run the command again: nothing committed is lost',
  },
} as const satisfies Record<string, { exit: 'input' | 'refused' | 'failed'; message: string }>;

export type FailureCode = keyof typeof FAILURES;

/** The `{names}` of a message template. */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type ParamsOf<C extends FailureCode> = Record<Placeholders<(typeof FAILURES)[C]['message']>, string | number>;
/** A code's parameters, or none for a message without placeholders. */
type ParamsArg<C extends FailureCode> = [Placeholders<(typeof FAILURES)[C]['message']>] extends [never] ? [] : [params: ParamsOf<C>];

export abstract class UserError extends Error {
  abstract readonly exitCode: number;
}

/** A failure from the catalogue: its code, its parameters, its one line and its exit code. */
export class Failure<C extends FailureCode = FailureCode> extends UserError {
  override name = 'Failure';
  readonly exitCode: number;
  readonly params: Readonly<Record<string, string | number>>;
  constructor(
    readonly code: C,
    ...[params]: ParamsArg<C>
  ) {
    const entry = FAILURES[code];
    const given: Record<string, string | number> = params ?? {};
    super(entry.message.replace(/\{(\w+)\}/g, (_, name: string) => String(given[name])));
    this.params = given;
    this.exitCode = EXIT[entry.exit];
  }
}

/** The failure to throw for `code`. */
export const fail = <C extends FailureCode>(code: C, ...params: ParamsArg<C>): Failure<C> => new Failure(code, ...params);

/** Whether `error` is one of the catalogue's `codes` (any of them when none are named). */
export function isFailure(error: unknown, ...codes: FailureCode[]): error is Failure {
  return error instanceof Failure && (codes.length === 0 || codes.includes(error.code));
}

/** A send refused on purpose (exit 3): a sender says it once and goes on to the next edition. */
export const isRefusal = (error: unknown): error is UserError => error instanceof UserError && error.exitCode === EXIT.refused;

/** The one-line message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An error that crossed a process boundary (the edition build runs in its own process): same message,
 * same code. Not a catalogue code: it carries a line the other process already made from the catalogue
 * (or a bug's message), and its exit code, which this process cannot rebuild from a code and parameters.
 */
export class RemoteError extends UserError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
