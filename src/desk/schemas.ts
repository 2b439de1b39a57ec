/**
 * The desk's shapes, one definition for the CLI's --json, the web desk and the tests: what an edition
 * is to its publisher (its state, their note and subject, its checks, its results) and the list's figures.
 */
import { z } from 'zod';
import { editionIdSchema } from '../edition/id.js';

export const editionStateSchema = z.enum(['draft', 'approved', 'held', 'sending', 'sent']);
export type EditionState = z.infer<typeof editionStateSchema>;

/**
 * An edition's results. sent / failed (refused or given up, temporary or permanent) / ambiguous (the
 * server's answer was lost: maybe delivered) are the ledger's rows; bounced and complained the proven
 * reports that name it; unsubscribed who left while it was the last edition sent. `final`: copied when
 * its send completed (false: read from the ledger as it sends).
 */
export const editionResultsSchema = z.object({
  recipients: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  ambiguous: z.number().int(),
  bounced: z.number().int(),
  complained: z.number().int(),
  unsubscribed: z.number().int(),
  final: z.boolean(),
});
export type EditionResults = z.infer<typeof editionResultsSchema>;

export const editionSummarySchema = z.object({
  id: z.string(),
  asOf: z.string(),
  state: editionStateSchema,
  /** The subject it goes (or went) out with: the publisher's, else the built one. */
  subject: z.string(),
  builtSubject: z.string(),
  headline: z.string().nullable(),
  demo: z.boolean(),
  /** The publisher's paragraph above the lede. */
  note: z.string().nullable(),
  /** The findings of its build's checks (the truth checks and the editor's lint). */
  checks: z.array(z.string()),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  heldReason: z.string().nullable(),
  /** When the schedule sends it (a draft built ahead). */
  sendAt: z.string().nullable(),
  builtAt: z.string(),
  sentAt: z.string().nullable(),
  results: editionResultsSchema.nullable(),
});
export type EditionSummary = z.infer<typeof editionSummarySchema>;

export const weekFiguresSchema = z.object({ week: z.string(), joins: z.number().int(), leaves: z.number().int() });
export type WeekFigures = z.infer<typeof weekFiguresSchema>;

export const deskStatsSchema = z.object({
  subscribers: z.object({
    pending: z.number().int(),
    confirmed: z.number().int(),
    unsubscribed: z.number().int(),
    bounced: z.number().int(),
    complained: z.number().int(),
  }),
  /** ISO weeks, oldest first, every week of the span (0 where nothing happened). */
  weeks: z.array(weekFiguresSchema),
  /** Editions whose send started, newest first. */
  editions: z.array(z.object({ id: z.string(), subject: z.string(), sentAt: z.string().nullable(), state: editionStateSchema, results: editionResultsSchema })),
});
export type DeskStats = z.infer<typeof deskStatsSchema>;

/** A short paragraph in the publisher's words: one paragraph, plain text (escaped wherever shown). "" removes it. */
export const noteSchema = z
  .string()
  .trim()
  .max(600, 'the note must be at most 600 characters (a short paragraph)')
  .refine((note) => !/\n\s*\n/.test(note), 'the note must be one paragraph (no blank lines)');

export const subjectSchema = z
  .string()
  .trim()
  .min(1, 'the subject must not be empty')
  .max(150, 'the subject must be at most 150 characters')
  .refine((subject) => !/[\r\n]/.test(subject), 'the subject must be one line');

/** Who acted, for the record: "cli", "desk", "link", an address. */
const bySchema = z.string().trim().min(1).max(200);

export const approvalSchema = z.object({ note: noteSchema.optional(), subject: subjectSchema.optional(), by: bySchema });
export type Approval = z.input<typeof approvalSchema>;

export const holdSchema = z.object({ reason: z.string().trim().min(1, 'say why it is held').max(500, 'the reason must be at most 500 characters'), by: bySchema });
export type Hold = z.input<typeof holdSchema>;

export { editionIdSchema };
