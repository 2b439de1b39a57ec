import { z } from 'zod';
import { fail } from '../shared/errors.js';

/** Where market data comes from: live providers, live with a demo fallback, or a demo scenario. */
export const marketDataSchema = z.string().regex(/^(auto|live|demo(:[a-z0-9-]+)?)$/, 'must be "auto", "live", "demo" or "demo:<scenario>"');

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** SMTP_URL's options (`?starttls=require&verify=false`), read here so a wrong one stops every command at start-up. */
export const smtpUrlOptionsSchema = z.strictObject({
  starttls: z.enum(['auto', 'require', 'never'], 'must be auto, require or never').default('auto'),
  verify: z.enum(['true', 'false'], 'must be true or false').default('true'),
});

function smtpUrlOptionsProblem(url: string): string | undefined {
  // Refinements run after a failed check too: a string that is no URL has been reported already.
  if (!URL.canParse(url)) return undefined;
  const options = smtpUrlOptionsSchema.safeParse(Object.fromEntries(new URL(url).searchParams));
  if (options.success) return undefined;
  const issue = options.error.issues[0]!;
  const option = issue.code === 'unrecognized_keys' ? `?${issue.keys.join(', ?')}` : `?${issue.path.join('.')}`;
  return `${option} ${issue.code === 'unrecognized_keys' ? 'is not an option' : issue.message}: the options are starttls=auto|require|never and verify=true|false`;
}

const DKIM_PARTS = ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'] as const;

/**
 * process.env, validated once at start-up by every command before any work. Each variable's description
 * is its documentation: `npm run env-docs` writes `.env.example` and the table in docs/configuration.md
 * from it, and a test keeps both in step.
 */
export const envSchema = z
  .object({
    DATA_DIR: z.string().min(1).default('./data').describe('Folder for the SQLite database (marketwrap.sqlite), the generated secret key and saved editions.'),
    DATABASE_URL: optionalString
      .pipe(
        z
          .string()
          .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
          .optional(),
      )
      .describe(
        "PostgreSQL instead of the SQLite file: postgres://user:password@host:5432/database, and ?schema=name to keep marketwrap's tables in a schema of their own. Needed for several senders (`marketwrap worker`) on several machines, or several `serve` instances behind one proxy. Tables are created on first use.",
      ),
    SMTP_URL: optionalString
      .pipe(
        z
          .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })
          .superRefine((url, ctx) => {
            const problem = smtpUrlOptionsProblem(url);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          })
          .optional(),
      )
      .describe(
        'SMTP server for real delivery, e.g. smtps://user:password@smtp.example.com:465 or smtp://user:password@smtp.example.com:587 (STARTTLS when offered). Options: ?starttls=require (never in the clear) or ?starttls=never, ?verify=false (accept a certificate that does not verify; private relays only). Unset: messages are written to OUTBOX_DIR.',
      ),
    OUTBOX_DIR: z.string().min(1).default('./outbox').describe('Folder for .eml files when SMTP_URL is unset (open them in any mail client).'),
    MAIL_FROM: optionalString.describe('The From of every email: "Name <address>" or an address. Unset: the config file\'s sender.'),
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .default('http://localhost:3000')
      .transform((url) => url.replace(/\/+$/, ''))
      .describe('Public base URL of the site, without a trailing slash: unsubscribe, confirmation and "view in browser" links are built on it. Use https when live.'),
    MARKET_DATA: marketDataSchema
      .default('auto')
      .describe(
        'Where market data comes from: auto (live providers; if none can be reached, demo data, but only when mailing to the outbox: over SMTP a demo edition needs --allow-demo-data), live (live providers only), demo or demo:<scenario> (small-cap-rally, risk-off, quiet-week, mega-cap-melt-up).',
      ),
    YAHOO_BASE_URL: z.url().default('https://query1.finance.yahoo.com').describe("Yahoo Finance's base URL (point it at a mirror or a local test server)."),
    FRED_BASE_URL: z.url().default('https://api.stlouisfed.org/fred').describe("FRED's base URL (point it at a mirror or a local test server)."),
    ALPHAVANTAGE_BASE_URL: z.url().default('https://www.alphavantage.co').describe("Alpha Vantage's base URL (point it at a mirror or a local test server)."),
    FRED_API_KEY: optionalString.describe(
      'FRED: the 2-year and 10-year constant-maturity yields for the curve, the release calendar for "The week ahead", the releases for "The week behind", and a second source for the 10-year yield and the VIX. Free key: https://fred.stlouisfed.org/docs/api/api_key.html',
    ),
    ALPHAVANTAGE_API_KEY: optionalString.describe(
      'Alpha Vantage: a fallback for ETFs and stocks (free tier: 25 requests a day, last 100 sessions). Free key: https://www.alphavantage.co/support/#api-key',
    ),
    MARKET_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000).describe('Per-request timeout for market data providers, in milliseconds.'),
    SECRET_KEY: optionalString
      .pipe(z.string().min(32, 'must be at least 32 characters').optional())
      .describe(
        'HMAC key (32+ characters) that signs unsubscribe and confirmation links. Unset: one is generated on first run and kept in DATA_DIR/secret.key. Changing it breaks the links in emails already sent.',
      ),
    CONFIG_FILE: z.string().min(1).default('marketwrap.config.json').describe('Path of the config file (optional: built-in defaults apply when it does not exist).'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000).describe('The port `marketwrap serve` (and `npm start`) listens on.'),
    HOST: z.string().min(1).default('127.0.0.1').describe('The address `marketwrap serve` listens on. Put it behind a TLS-terminating proxy for PUBLIC_URL.'),
    ADMIN_TOKEN: optionalString
      .pipe(z.string().min(24, 'must be at least 24 characters (try: openssl rand -hex 24)').optional())
      .describe(
        'Signs in to the desk at /admin (24+ characters), and is the bearer token for POST /admin/send, the manual send over HTTP. With neither this nor PUBLISHER_EMAIL set there are no admin routes.',
      ),
    PUBLISHER_EMAIL: optionalString
      .pipe(z.email({ error: 'must be an email address (the publisher reviews each edition there)' }).optional())
      .describe(
        'The publisher: each edition built ahead of its send is mailed here with links to approve or hold it (schedule.approval); the desk can email a single-use sign-in link here.',
      ),
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
      .transform((v): false | number | string => (v === undefined || v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v.replace(/\s+/g, '')))
      .describe(
        'Proxies allowed to say who the client is (X-Forwarded-For): empty or false trusts none (the peer is the client); behind one reverse proxy, 1; or a comma list of proxy addresses or CIDRs. Never "true" (any client could pick its IP).',
      ),
    BOUNCE_IMAP_URL: optionalString
      .pipe(z.url({ protocol: /^imaps?$/, error: 'must be an imap:// or imaps:// URL with the user and password' }).optional())
      .describe(
        'The mailbox bounces and complaint reports arrive in (imaps://user:password@host/INBOX); read by `marketwrap subscribers bounces` and every 10 minutes by `serve`. Unset: not read.',
      ),
    POSTMARK_WEBHOOK_TOKEN: optionalString
      .pipe(z.string().min(24, 'must be at least 24 characters (try: openssl rand -hex 24)').optional())
      .describe(
        "Postmark's bounce and spam-complaint webhook password (basic auth in the webhook URL: https://postmark:<token>@your.site/webhooks/postmark). Unset: the route does not exist.",
      ),
    SES_TOPIC_ARN: optionalString
      .pipe(
        z
          .string()
          .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)')
          .optional(),
      )
      .describe('The SNS topic your Amazon SES bounce and complaint notifications use; notifications are taken from this topic only. Unset: the route does not exist.'),
    DKIM_DOMAIN: optionalString.describe(
      'DKIM: sign every message as this domain (your From domain, for DMARC alignment). DKIM_DOMAIN, DKIM_SELECTOR and a key go together: all, or none.',
    ),
    DKIM_SELECTOR: optionalString
      .pipe(
        z
          .string()
          .regex(/^[a-zA-Z0-9._-]+$/, 'must be a DNS label such as "mw2026"')
          .optional(),
      )
      .describe('DKIM: the selector; publish the public key as TXT at <selector>._domainkey.<domain>.'),
    DKIM_PRIVATE_KEY: optionalString.describe('DKIM: the private key as PEM text (RSA or Ed25519; "\\n" may stand for line breaks), or give DKIM_PRIVATE_KEY_FILE instead.'),
    DKIM_PRIVATE_KEY_FILE: optionalString.describe('DKIM: the path of the PEM private key, instead of DKIM_PRIVATE_KEY.'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('warn')
      .describe('Structured logs (pino, JSON on stderr): fatal, error, warn, info, debug, trace or silent.'),
    MARKETWRAP_NOW: z
      .preprocess((v) => (v === '' ? undefined : v), z.iso.datetime({ offset: true }).optional())
      .describe(
        "The time to start the clock at (ISO 8601, e.g. 2026-11-20T22:00:00Z), running on from there: to rehearse a schedule or a past week's run. Unset: the machine's clock. The tests pin it.",
      ),
  })
  .superRefine((env, ctx) => {
    const given = [env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY ?? env.DKIM_PRIVATE_KEY_FILE];
    if (given.every((v) => v === undefined) || given.every((v) => v !== undefined)) return;
    const missing = DKIM_PARTS.filter((_, i) => given[i] === undefined);
    ctx.addIssue({
      code: 'custom',
      path: [missing[0]!],
      message: `is not set: DKIM needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE) together; set all three, or none`,
    });
  });

export type Env = z.infer<typeof envSchema>;

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
    throw fail('ENV_INVALID', { issues: describeIssues(parsed.error) });
  }
  return parsed.data;
}
