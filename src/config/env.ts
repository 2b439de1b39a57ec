import { z } from 'zod';
import { InputError } from '../errors.js';

/** Where market data comes from: live providers, live with a demo fallback, or a demo scenario. */
export const marketDataSchema = z.string().regex(/^(auto|live|demo(:[a-z0-9-]+)?)$/, 'must be "auto", "live", "demo" or "demo:<scenario>"');

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** process.env, validated once at start-up; every variable is documented in .env.example. */
export const envSchema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL (postgres://user:password@host:5432/db, optional ?schema=name) instead of the SQLite file in DATA_DIR. */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
      .optional(),
  ),
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional()),
  OUTBOX_DIR: z.string().min(1).default('./outbox'),
  MAIL_FROM: optionalString,
  /** The site's address, without a trailing slash: every link is built on it. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .default('http://localhost:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  MARKET_DATA: marketDataSchema.default('auto'),
  YAHOO_BASE_URL: z.url().default('https://query1.finance.yahoo.com'),
  FRED_BASE_URL: z.url().default('https://api.stlouisfed.org/fred'),
  ALPHAVANTAGE_BASE_URL: z.url().default('https://www.alphavantage.co'),
  FRED_API_KEY: optionalString,
  ALPHAVANTAGE_API_KEY: optionalString,
  /** Per-request timeout for market data providers. */
  MARKET_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  SECRET_KEY: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  CONFIG_FILE: z.string().min(1).default('marketwrap.config.json'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Signs in to the desk (/admin, a form) and is the bearer token for POST /admin/send. */
  ADMIN_TOKEN: optionalString.pipe(z.string().min(24, 'must be at least 24 characters (try: openssl rand -hex 24)').optional()),
  /** The publisher: each edition built ahead of its send is mailed here with links to approve or hold it (schedule.approval), and the desk's sign-in links. */
  PUBLISHER_EMAIL: optionalString.pipe(z.email({ error: 'must be an email address (the publisher reviews each edition there)' }).optional()),
  /**
   * Which proxies may say who the client is (X-Forwarded-For): unset or "false" trusts none (the peer is
   * the client), a number trusts that many hops, otherwise a comma list of proxy addresses or CIDRs.
   */
  TRUST_PROXY: optionalString
    .pipe(
      z
        .string()
        .regex(
          /^(false|true|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
          'must be false, a hop count, or a comma list of proxy addresses (not "true": any client could choose its IP)',
        )
        .refine((v) => v !== 'true', 'must not be "true": any client could choose its IP; give the hop count or the proxy addresses')
        .optional(),
    )
    .transform((v): false | number | string => (v === undefined || v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v.replace(/\s+/g, ''))),
  /** The mailbox bounces and complaints arrive in (imap:// or imaps://user:password@host/mailbox): read by `marketwrap bounces` and every 10 minutes by `serve`. */
  BOUNCE_IMAP_URL: optionalString.pipe(z.url({ protocol: /^imaps?$/, error: 'must be an imap:// or imaps:// URL with the user and password' }).optional()),
  /** Postmark's bounce and spam-complaint webhook authenticates with this (the password of the webhook URL's basic auth). */
  POSTMARK_WEBHOOK_TOKEN: optionalString.pipe(z.string().min(24, 'must be at least 24 characters (try: openssl rand -hex 24)').optional()),
  /** Amazon SES notifications through SNS are taken from this topic only; unset, the route does not exist. */
  SES_TOPIC_ARN: optionalString.pipe(
    z
      .string()
      .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)')
      .optional(),
  ),
  /** DKIM signing: all three (the key inline as PEM, or its file), or none. */
  DKIM_DOMAIN: optionalString,
  DKIM_SELECTOR: optionalString.pipe(
    z
      .string()
      .regex(/^[a-zA-Z0-9._-]+$/, 'must be a DNS label such as "mw2026"')
      .optional(),
  ),
  DKIM_PRIVATE_KEY: optionalString,
  DKIM_PRIVATE_KEY_FILE: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  /** The time the process starts at (ISO 8601), running on from there: to rehearse a schedule or a past week; tests pin it. */
  MARKETWRAP_NOW: z.preprocess((v) => (v === '' ? undefined : v), z.iso.datetime({ offset: true }).optional()),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends InputError {
  override name = 'ConfigError';
}

/** Formats a zod error as "NAME: problem" lines, so a user sees which variable or field to fix. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .flatMap(chosenBranch)
    .map((issue) => {
      const path = issue.path.length ? issue.path.join('.') : '(root)';
      return `${prefix}${path}: ${issue.message}`;
    })
    .join('; ');
}

/** A value of one of a union's types that is wrong inside says what is wrong there, not "Invalid input". */
function chosenBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const ofItsType = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
  if (ofItsType.length !== 1) return [issue];
  return ofItsType[0]!.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(`invalid environment: ${describeIssues(parsed.error)} (see .env.example)`);
  }
  return parsed.data;
}
