/**
 * What the checks of an edition's copy found (review.ts runs them). Apart from the checks themselves, so
 * the sender can read an edition's findings without loading the templates or the truth checks.
 */
export interface EditionReview {
  contradictions: string[];
  /** "Since" claims the closes do not bear out. */
  lookbacks: string[];
  /** Self-reference, bare titles, the headline restated, a figure told twice, and the editor's lint. */
  style: string[];
}

/** The review as one list, each finding named by its check. */
export const reviewFindings = (r: EditionReview): string[] => [...r.contradictions.map((c) => `contradiction: ${c}`), ...r.lookbacks.map((l) => `look-back: ${l}`), ...r.style];
