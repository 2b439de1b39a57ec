export { renderEdition, renderWebVersion, GMAIL_CLIP_BYTES, type RenderedEdition } from './edition.js';
export { chartCid, chartFile, chartSrc, pointChartsAt, savedChartSrc } from './chart-refs.js';
export { weekBarsChart, relativeLineChart, type Chart } from './charts.js';
export { loadLayout, type Layout } from './layout.js';
export { compileMjml } from './mjml.js';
export { personalizer, splitAtTokens, RECIPIENT_TOKENS, type RecipientFields, type RecipientSlot } from './personalize.js';
export { renderText } from './text.js';
export { editionView, DEMO_SUBJECT_TAG, type EditionView } from './view.js';
export { renderTransactional, type TransactionalEmail, type TransactionalName } from './transactional.js';
