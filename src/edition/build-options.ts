/**
 * What a build is asked for: the one shape the CLI, the weekly job and the build child agree on. Light
 * (zod only), so the sender can check what it sends to the child without loading the build.
 */
import { z } from 'zod';
import { editionIdSchema } from './id.js';

export const buildOptionsSchema = z.object({
  asOf: z.string().optional(),
  data: z.string().optional(),
  /** With MARKET_DATA=auto: may an unreachable network fall back to demo data? */
  allowDemoFallback: z.boolean().optional(),
  /** Use cached closes only, no network (preview). */
  offline: z.boolean().optional(),
  /** The id the edition is built as, when not the week's own (a rebuild of a week that went out: 2026-W47-2). */
  editionId: editionIdSchema.optional(),
});
export type BuildOptions = z.infer<typeof buildOptionsSchema>;

/**
 * The request the build child receives over IPC: the options with anything else a caller spread into
 * them dropped (a progress callback or an AbortSignal cannot be cloned), and the parent's time, so the
 * child's week is the parent's whatever clock the parent was given.
 */
export const buildRequestSchema = z.object({ options: buildOptionsSchema, now: z.iso.datetime() });
export type BuildRequest = z.infer<typeof buildRequestSchema>;
