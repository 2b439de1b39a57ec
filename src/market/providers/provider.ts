import type { z } from 'zod';
import { ProviderError } from '../http.js';

/** A close as a provider reported it: not yet checked for sanity (guards do that, by name). */
export interface RawPoint {
  date: string;
  close: number;
}

/** Daily closes of one provider symbol between two dates (inclusive), oldest first. */
export type ProviderFetch = (symbol: string, from: string, to: string) => Promise<RawPoint[]>;

/** JSON.parse, then the provider's zod schema; a failure names provider, symbol and field. */
export function parseBody<T>(provider: string, symbol: string, schema: z.ZodType<T>, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError(provider, symbol, `response is not JSON: ${JSON.stringify(String(text).slice(0, 60))}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProviderError(provider, symbol, `unexpected response: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
