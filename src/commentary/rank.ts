import type { Signal } from '../analysis/index.js';

/**
 * Strongest first; ties keep config order (Array.prototype.sort is stable), so the publisher decides
 * which of two equal signals speaks first.
 */
export function rankSignals(signals: readonly Signal[]): Signal[] {
  return [...signals].sort((a, b) => b.magnitude - a.magnitude);
}
