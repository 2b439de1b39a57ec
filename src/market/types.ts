import { z } from 'zod';
import { instrumentKindSchema } from '../config/primitives.js';

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real calendar date');
export type IsoDate = z.infer<typeof isoDateSchema>;

export const pointSchema = z.object({
  date: isoDateSchema,
  close: z.number().finite().positive(),
});
export type Point = z.infer<typeof pointSchema>;

/** A scheduled release or Fed decision, named as a reader calls it ("the consumer price index"). */
export const calendarEventSchema = z.object({ date: isoDateSchema, name: z.string().min(1).max(80) });
export type CalendarEvent = z.infer<typeof calendarEventSchema>;

/**
 * The FRED series the week behind reads: the consumer price index, payrolls and the unemployment rate
 * (the employment report), retail sales, real GDP's annualized quarterly growth (BEA's own headline
 * figure, A191RL1Q225SBEA, rather than one recomputed from levels) and the PCE price index.
 */
export const releaseSeriesSchema = z.enum(['CPIAUCSL', 'PAYEMS', 'UNRATE', 'RSAFS', 'A191RL1Q225SBEA', 'PCEPI']);
export type ReleaseSeries = z.infer<typeof releaseSeriesSchema>;

/** One series of an economic release as first published: both values as known on the release date (ALFRED). */
export const releaseSchema = z.object({
  date: isoDateSchema.describe('The day the release published it'),
  series: releaseSeriesSchema,
  period: isoDateSchema.describe('The month or quarter measured, by its first day (as FRED dates it)'),
  value: z.number().finite(),
  previous: z.number().finite().describe('The period before, as known the same day'),
});
export type Release = z.infer<typeof releaseSchema>;

export const seriesSchema = z
  .object({
    symbol: z.string().min(1),
    name: z.string().min(1),
    kind: instrumentKindSchema,
    source: z.string().min(1).describe('Which provider served it, e.g. "demo" or "yahoo:^RUT"'),
    fullHistory: z.boolean().default(false).describe('The points start at the first close there is: an all-time high can be claimed'),
    points: z.array(pointSchema).min(1),
  })
  .superRefine((series, ctx) => {
    for (let i = 1; i < series.points.length; i++) {
      if (series.points[i]!.date <= series.points[i - 1]!.date) {
        ctx.addIssue({
          code: 'custom',
          path: ['points', i, 'date'],
          message: `${series.symbol}: dates must increase strictly (${series.points[i - 1]!.date} then ${series.points[i]!.date})`,
        });
        return;
      }
    }
  });
export type Series = z.infer<typeof seriesSchema>;

export const snapshotSchema = z.object({
  asOf: isoDateSchema,
  series: z.array(seriesSchema),
  source: z.string(),
  fetchedAt: z.string(),
  demo: z.boolean(),
  scenario: z.string().optional(),
  /** Which source served each instrument ("yahoo:^RUT", "yahoo:IWM (proxy)"). */
  sources: z.record(z.string(), z.string()).default({}),
  /** Guard findings: any of them stops a send; build and preview show them. */
  issues: z.array(z.object({ symbol: z.string(), kind: z.enum(['missing', 'stale', 'sanity']), message: z.string() })).default([]),
  /** What happened on the way (providers skipped, fallbacks taken), for people. */
  notes: z.array(z.string()).default([]),
  /** Next week's scheduled releases and Fed decisions (empty when no calendar could be had). */
  calendar: z.array(calendarEventSchema).default([]),
  /** The week just ended's economic releases, first-published values (absent: none could be had). */
  weekBehind: z.array(releaseSchema).optional(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
