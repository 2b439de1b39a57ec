export { compose, SUBJECT_LENGTH, helperRoot, nameTable, weekNumber, type Commentary, type Section } from './compose.js';
export { rankSignals } from './rank.js';
export {
  loadCommentaryTemplates,
  everyPhrasing,
  handlebarsErrorLine,
  handlebarsErrorMessage,
  TemplateError,
  SIGNAL_KINDS,
  type CommentaryTemplates,
} from './templates.js';
export * from './helpers.js';
export { findContradictions, findFactErrors, findLookbackErrors, findStyleProblems } from './truth.js';
export { factSchema, factsOf, type Fact } from './facts.js';
export { lintEdition, type LintFinding, type LintRule } from './lint.js';
export { reviewEdition } from './review.js';
export { reviewFindings, type EditionReview } from './findings.js';
export { chooseStory, STORY_RULES, type Story, type StoryKind } from './plan/stories.js';
