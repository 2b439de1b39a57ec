/**
 * The edges of the world, gathered once per process and passed down: environment, config, database,
 * clock, logger and mail transport. Tests build one with a fixed clock and temporary folders.
 */
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadEnv, type Env } from '../config/env.js';
import { loadNewsletter, type Newsletter } from '../config/newsletter.js';
import { resolveSecretKey } from '../config/secret.js';
import { type Database, type Ledger, openDatabase, type Store } from '../db/index.js';
import { createTransport, type ProofKey, type Sender, type Transport } from '../delivery/index.js';
import { type DkimKey, loadDkimKey } from '../delivery/dkim.js';
import type { Edition } from '../edition/build.js';
import { clockFrom, wallClock } from './clock.js';
import type { BuildOptions } from '../edition/build-options.js';
import { PROJECT_ROOT } from './paths.js';
import { createSubscriberService, parseEmail, type SubscriberService } from '../subscribers/index.js';

export { PROJECT_ROOT };

export interface Context {
  env: Env;
  config: Newsletter;
  sender: Sender;
  templatesDir: string;
  editionsDir: string;
  secretKey: string;
  /** What signs each message's Message-ID and return path, so a bounce or complaint can prove it answers one. */
  proofKey: ProofKey;
  /** SQLite (the file in DATA_DIR) or PostgreSQL (DATABASE_URL): the same store and ledger. */
  database: Database;
  store: Store;
  ledger: Ledger;
  subscribers: SubscriberService;
  clock: () => Date;
  log: Logger;
  /** The DKIM key every outgoing message is signed with, when configured. */
  dkim: DkimKey | undefined;
  /** One-off emails (confirmations, welcome, --to, the studio's test). */
  transport(): Transport;
  /** The edition's send to the list: `delivery.connections` pipelined connections. */
  listTransport(): Transport;
  /** Builds an edition: in this process, or (the CLI's digest) in a child, so the sender stays small. */
  buildEdition(options: BuildOptions): Promise<Edition>;
  close(): Promise<void>;
  /** True once close() was called: timers that outlive their server stop. */
  readonly closed: boolean;
}

/**
 * The context a consumer takes: everything but the database, and of the store and the ledger only the
 * parts it names (`ContextUsing<StorePart<'findSubscriber'>, Pick<Ledger, 'counts'>>`).
 */
export type ContextUsing<S extends Partial<Store>, L extends Partial<Ledger> = Record<never, never>> = Omit<Context, 'database' | 'store' | 'ledger'> & {
  store: S;
  ledger: L;
};

/** MAIL_FROM as "Name <address>" or a bare address; the config's sender fills what it leaves out. */
export function parseSender(mailFrom: string | undefined, fallback: Sender): Sender {
  if (!mailFrom) return fallback;
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(mailFrom);
  const name = match ? match[1]!.replace(/^"|"$/g, '') : '';
  return { name: name || fallback.name, email: parseEmail(match ? match[2]! : mailFrom) };
}

export interface ContextOptions {
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  templatesDir?: string;
  /** Where editions are built (default: here, loaded when first needed). */
  buildEdition?: (options: BuildOptions, clock: () => Date) => Promise<Edition>;
}

export function createContext(options: ContextOptions = {}): Context {
  const env = loadEnv(options.env ?? process.env);
  const config = loadNewsletter(env.CONFIG_FILE);
  const sender = parseSender(env.MAIL_FROM, config.sender);
  const log = pino({ level: env.LOG_LEVEL }, pino.destination(2));
  // Before the database opens: a refused key leaves nothing open behind it.
  const dkim = loadDkimKey(env, (warning) => log.warn(warning));
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  const { store, ledger } = database;
  const clock = options.clock ?? (env.MARKETWRAP_NOW ? clockFrom(env.MARKETWRAP_NOW) : wallClock);
  const transports = new Map<'list' | 'single', Transport>();
  const transportFor = (use: 'list' | 'single') => {
    if (!transports.has(use)) transports.set(use, createTransport(use, env.SMTP_URL, env.OUTBOX_DIR, config.delivery));
    return transports.get(use)!;
  };
  const secretKey = resolveSecretKey(env.DATA_DIR, env.SECRET_KEY);
  let closed = false;
  const context: Context = {
    env,
    config,
    sender,
    templatesDir: options.templatesDir ?? join(PROJECT_ROOT, 'templates'),
    dkim,
    editionsDir: join(env.DATA_DIR, 'editions'),
    secretKey,
    proofKey: { secret: secretKey, returnPath: config.feedback.returnPath, verp: config.feedback.verp },
    database,
    store,
    ledger,
    subscribers: createSubscriberService(store, clock, secretKey),
    clock,
    log,
    transport: () => transportFor('single'),
    listTransport: () => transportFor('list'),
    buildEdition: async (buildOptions) =>
      options.buildEdition ? options.buildEdition(buildOptions, clock) : (await import('../edition/build.js')).buildEdition(context, buildOptions),
    get closed() {
      return closed;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const transport of transports.values()) transport.close();
      await database.close();
    },
  };
  return context;
}
