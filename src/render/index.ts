export { renderEdition, renderWebVersion, chartCid, GMAIL_CLIP_BYTES, type RenderedEdition, type ChartImage } from './edition.js';
export { weekBarsChart, relativeLineChart, type Chart } from './charts.js';
export { loadLayout, type Layout } from './layout.js';
export { compileMjml, MjmlError } from './mjml.js';
export { personalizer, escapeHtml, RECIPIENT_TOKENS, type RecipientFields } from './personalize.js';
export { renderText } from './text.js';
export { editionView, volatilityRegime, DEMO_SUBJECT_TAG, type EditionView } from './view.js';
export { renderTransactional, type TransactionalEmail, type TransactionalName } from './transactional.js';
