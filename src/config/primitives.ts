/**
 * The small schemas every config part shares (windows, tickers, groups, ids, instrument kinds). They live
 * apart from the config file's schema so that the rule kinds, which the config is made of, and the market
 * data's types can use them without loading the config's schema (and with it every rule kind).
 */
import { z } from 'zod';

export const windowSchema = z.enum(['1W', '1M', '3M', 'YTD', '1Y']);
export type Window = z.infer<typeof windowSchema>;

export const symbolSchema = z.string().regex(/^[\^A-Za-z0-9.=-]{1,20}$/, 'must be a ticker such as ^GSPC or XLF');
export const groupSchema = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be lower-case letters, digits and dashes');
export const ruleIdSchema = z.string().regex(/^[a-z0-9-]{1,60}$/, 'must be lower-case letters, digits and dashes');
export const instrumentKindSchema = z.enum(['index', 'etf', 'stock', 'rate', 'volatility']);
export type InstrumentKind = z.infer<typeof instrumentKindSchema>;
