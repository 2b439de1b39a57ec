/** The publisher's desk: editions and their review, and the list's figures (see editions.ts, stats.ts). */
export { approveEdition, type DeskDeps, holdEdition, listEditions, showEdition } from './editions.js';
export { deskStats } from './stats.js';
export { type EditionPreview, previewEdition } from './preview.js';
export * from './schemas.js';
