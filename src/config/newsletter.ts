import { existsSync, readFileSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import { ruleReferences, ruleSchema, type Rule } from '../analysis/rules/index.js';
import { defaultNewsletter } from './defaults.js';
import { describeIssues } from './env.js';
import { groupSchema, instrumentKindSchema, symbolSchema, windowSchema } from './primitives.js';
import { fail, messageOf } from '../shared/errors.js';

export { windowSchema, type Window } from './primitives.js';

const themeSchema = z.string().min(1).max(40).optional().describe('What it stands for in headlines ("small caps")');

export const providerNameSchema = z.enum(['yahoo', 'fred', 'alphavantage']);

export const sourceSchema = z.strictObject({
  provider: providerNameSchema,
  symbol: z.string().min(1).max(30).describe('The symbol at that provider (^RUT at Yahoo, DGS10 at FRED)'),
  proxy: z.boolean().default(false).describe('A stand-in (IWM for the Russell 2000): labelled as such in the edition'),
});

export const instrumentSchema = z.strictObject({
  symbol: symbolSchema,
  name: z.string().min(1).max(80),
  shortName: z.string().min(1).max(40).describe('The name used in tables and sentences ("Dow")'),
  theme: themeSchema,
  article: z.boolean().optional().describe('Read with "the" in sentences (default: indices, rates, volatility and baskets)'),
  gloss: z.string().min(1).max(80).optional().describe('An aside told the first time prose names it ("the bond market\'s read of the Fed\'s path")'),
  kind: instrumentKindSchema,
  group: groupSchema,
  required: z.boolean().default(false).describe('A required instrument that is missing or stale stops the send'),
  sources: z
    .array(sourceSchema)
    .min(1)
    .optional()
    .describe('Where live data comes from, tried in order; default: Yahoo, then FRED for rates and the VIX, Alpha Vantage for ETFs and stocks'),
});

export const basketSchema = z.strictObject({
  symbol: symbolSchema,
  name: z.string().min(1).max(80),
  shortName: z.string().min(1).max(40),
  theme: themeSchema,
  group: groupSchema,
  members: z.array(symbolSchema).min(2).describe('Equal-weighted: the basket return is the mean of member returns'),
  namedSince: z.iso.date().optional().describe('When its name came into use ("Magnificent Seven": 2023); earlier editions say earlierName'),
  earlierName: z.string().min(1).max(60).optional().describe('What to call it before namedSince ("the basket of the seven biggest tech stocks")'),
  earlierShortName: z.string().min(1).max(40).optional().describe('What tables and charts call it before namedSince ("Tech megacaps"); default: earlierName, capitalised'),
});

export { ruleSchema, type Rule } from '../analysis/rules/index.js';
export type RuleKind = Rule['kind'];

/** A BCP 47 tag Intl can format with (a malformed one makes every toLocaleString throw). */
function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1 && Intl.NumberFormat.supportedLocalesOf(tag).length === 1;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A value that goes into a mail header: a CR or LF would start a header of the attacker's choosing (a Bcc). */
const headerText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\x00-\x1f\x7f]*$/, 'must not contain control characters (line breaks would inject mail headers)');

const cronSchema = z.string().refine((expr) => cron.validate(expr), 'must be a cron expression such as "0 8 * * 6" (Saturday 08:00)');

/** "2h", "90m", "0m": how long before the send the scheduled job builds the edition for review. */
export const durationSchema = z
  .string()
  .regex(/^\d{1,4}(m|h)$/, 'must be minutes or hours such as "90m" or "2h"')
  .transform((text) => Number(text.slice(0, -1)) * (text.endsWith('h') ? 3600_000 : 60_000))
  .refine((ms) => ms <= 6 * 24 * 3600_000, 'must be less than six days (the next edition is due a week later)');

const scheduleObjectSchema = z.strictObject({
  cron: cronSchema.describe('When the edition goes to the list'),
  approval: z
    .enum(['auto', 'required'], { error: 'must be "auto" or "required"' })
    .default('auto')
    .describe('auto: it goes at the send time unless held (a failed check holds it); required: nothing goes to the list until the publisher approves it'),
  buildAhead: durationSchema
    .prefault(defaultNewsletter.buildAhead)
    .describe('How long before the send the edition is built, checked and mailed to PUBLISHER_EMAIL for review ("2h", "90m"; "0m": at the send time)'),
});

/** The weekly send: a cron expression (approval auto, built 2 hours ahead), or the object with the review's settings. */
const scheduleSchema = z
  .union([cronSchema, scheduleObjectSchema])
  .prefault(defaultNewsletter.schedule)
  .transform((schedule) => (typeof schedule === 'string' ? scheduleObjectSchema.parse({ cron: schedule }) : schedule))
  .describe('The weekly send: a cron expression, or { cron, approval, buildAhead }');

export type Schedule = z.output<typeof scheduleObjectSchema>;

export const newsletterSchema = z
  .strictObject({
    $schema: z.string().optional(),
    title: headerText(80).default(defaultNewsletter.title),
    tagline: z.string().max(200).default(defaultNewsletter.tagline),
    sender: z
      .strictObject({ name: headerText(80), email: z.email() })
      .default(defaultNewsletter.sender)
      .describe('The From of every email; MAIL_FROM overrides it'),
    postalAddress: z.string().min(5).max(300).default(defaultNewsletter.postalAddress).describe('Shown in the footer: CAN-SPAM requires a physical postal address'),
    locale: z.string().refine(isLocale, 'must be a language tag such as en-US or en-GB').default(defaultNewsletter.locale),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York').default(defaultNewsletter.timeZone),
    schedule: scheduleSchema,
    windows: z
      .array(windowSchema)
      .min(1)
      .default(() => [...defaultNewsletter.windows]),
    tableGroups: z
      .array(groupSchema)
      .min(1)
      .default(() => [...defaultNewsletter.tableGroups])
      .describe('Groups shown in the "week in numbers" table'),
    maxSections: z.number().int().min(1).max(12).default(defaultNewsletter.maxSections),
    delivery: z
      .strictObject({
        connections: z.number().int().min(1).max(100).default(10).describe('Pooled SMTP connections'),
        messagesPerConnection: z.number().int().min(1).default(100).describe('Messages sent over one connection before it is renewed'),
        ratePerSecond: z.number().min(0).default(0).describe('Messages per second at most (0: no limit)'),
        ratePerHour: z.number().min(0).default(0).describe('Messages per hour at most (0: no limit)'),
        maxAttempts: z.number().int().min(1).max(10).default(3).describe('Attempts for a temporary (4xx) failure before it is failed'),
        retryDelaySeconds: z.number().min(0).default(60).describe('First retry delay after a 4xx; doubles each attempt'),
        hardBounceLimit: z.number().int().min(1).default(2).describe('Permanent (5xx) failures after which a subscriber becomes "bounced"'),
        softBouncesCount: z.boolean().default(false).describe('Whether soft bounces reported after the send (mailbox full, greylisting) count toward hardBounceLimit'),
        ambiguous: z.enum(['skip', 'resend']).default('skip').describe('A message in flight when a connection or the process died may have arrived: skip (report it) or resend'),
      })
      // Each setting's default is written once, above: {} goes through the schema.
      .prefault({}),
    feedback: z
      .strictObject({
        returnPath: z
          .email()
          .optional()
          .describe('The envelope sender bounces go to (default: the sender); with verp, each list message goes out from local+<edition>.<subscriber>.<mac>@domain'),
        verp: z
          .boolean()
          .default(true)
          .describe('Give each list message its own signed return path (the mailbox must take plus addresses); a bounce to it proves which message it answers'),
        breaker: z
          .strictObject({
            maxShare: z.number().min(0).max(1).default(0.02).describe('Share of the confirmed list that reports may bounce or suppress in one rolling hour'),
            minCount: z.number().int().min(0).default(10).describe('At least this many an hour whatever the share (a small list)'),
            maxCount: z.number().int().min(1).default(200).describe('At most this many an hour whatever the share'),
          })
          .prefault({})
          .describe('Past this, reports are kept but not acted on, and /healthz and the bounces summary say so'),
      })
      .prefault({})
      .describe('Bounces and complaints reported after the send'),
    welcomeEmail: z.boolean().default(false).describe('Send a welcome email when a subscriber confirms'),
    tracking: z
      .strictObject({
        clicks: z
          .boolean()
          .default(false)
          .describe("Rewrite the edition's links to signed redirects on the site (/r/...) and count clicks per edition and link; never an open pixel"),
        perSubscriber: z.boolean().default(false).describe('With clicks: also count who clicked (per subscriber); the privacy page says so'),
      })
      .default({ clicks: false, perSubscriber: false })
      .describe('Optional click counts, off by default'),
    guards: z
      .strictObject({
        maxDailyMovePct: z.number().positive().default(25).describe('A broad index moving more than this in one session stops the send'),
        maxFlatSessions: z.number().int().min(2).default(10).describe('This many sessions in a row at one close (or two instruments closing alike) stops the send'),
        maxRevisionPct: z.number().positive().default(10).describe('A fetched close this far from the cached close of the same date is not saved, and stops the send'),
      })
      .prefault({}),
    instruments: z
      .array(instrumentSchema)
      .min(1)
      .default(() => structuredClone(defaultNewsletter.instruments)),
    baskets: z.array(basketSchema).default(() => structuredClone(defaultNewsletter.baskets)),
    rules: z.array(ruleSchema).prefault(() => structuredClone(defaultNewsletter.rules)),
  })
  .superRefine((config, ctx) => {
    const symbols = new Set<string>();
    const groups = new Set<string>();
    const all = [...config.instruments, ...config.baskets];
    all.forEach((item, i) => {
      if (symbols.has(item.symbol)) {
        ctx.addIssue({ code: 'custom', path: ['instruments', i, 'symbol'], message: `duplicate symbol ${item.symbol}` });
      }
      symbols.add(item.symbol);
      groups.add(item.group);
    });
    for (const [i, basket] of config.baskets.entries()) {
      for (const [j, member] of basket.members.entries()) {
        if (!config.instruments.some((inst) => inst.symbol === member)) {
          ctx.addIssue({ code: 'custom', path: ['baskets', i, 'members', j], message: `unknown instrument ${member}` });
        }
      }
    }
    const ruleIds = new Set<string>();
    config.rules.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id ${rule.id}` });
      ruleIds.add(rule.id);
      const refs = ruleReferences(rule);
      for (const [field, symbol] of refs.symbols) {
        if (!symbols.has(symbol)) {
          ctx.addIssue({ code: 'custom', path: ['rules', i, field], message: `unknown instrument ${symbol}: add it to instruments or baskets` });
        }
      }
      if (refs.group !== undefined && !groups.has(refs.group)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'group'], message: `no instrument has group ${refs.group}` });
      }
      if (refs.window !== undefined && !config.windows.includes(refs.window)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'window'], message: `window ${refs.window} is not in windows` });
      }
    });
  });

export type Newsletter = z.infer<typeof newsletterSchema>;
export type Instrument = z.infer<typeof instrumentSchema>;
export type Basket = z.infer<typeof basketSchema>;

/** The JSON Schema of the config file, for editor completion (`"$schema": "./marketwrap.config.schema.json"`). */
export function newsletterJsonSchema(): object {
  return z.toJSONSchema(newsletterSchema, { io: 'input', unrepresentable: 'any' });
}

export function parseNewsletter(raw: unknown, source = 'config'): Newsletter {
  const parsed = newsletterSchema.safeParse(raw);
  if (!parsed.success) throw fail('CONFIG_INVALID', { source, issues: describeIssues(parsed.error) });
  return parsed.data;
}

/** Reads the config file if it exists; a missing file means the built-in defaults. */
export function loadNewsletter(path: string): Newsletter {
  if (!existsSync(path)) return parseNewsletter({}, 'built-in defaults');
  let raw: unknown;
  try {
    // Windows editors save UTF-8 with a byte-order mark, which JSON.parse refuses.
    raw = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw fail('CONFIG_NOT_JSON', { file: path, reason: messageOf(error) });
  }
  return parseNewsletter(raw, path);
}
