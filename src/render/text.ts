/** The plain-text part: the same numbers and words as the HTML, readable in any client. */
import type { EditionView } from './view.js';
import { RECIPIENT_TOKENS } from './personalize.js';

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function renderText(view: EditionView): string {
  const lines: string[] = [];
  const rule = '-'.repeat(64);
  lines.push(view.title.toUpperCase(), `${view.dateLabel} · Edition ${view.editionId}`, `View in browser: ${view.webUrl}`, '');
  for (const warning of view.warnings) lines.push(`!!! DATA WARNING: ${warning}`);
  if (view.warnings.length) lines.push('');
  if (view.demo) lines.push(`*** DEMO DATA: simulated prices (scenario "${view.scenario}"), not real market data. Do not act on it. ***`, '');
  // The market strip, as the HTML opens with it.
  if (view.strip.length) lines.push(view.strip.map((s) => `${s.name} ${s.close} (${s.change})`).join(' · '), '');
  lines.push(view.headline, '', view.lede, '', rule, 'THE WEEK IN NUMBERS', rule);
  const nameWidth = Math.max(...view.table.rows.map((r) => r.name.length), 4) + 2;
  const lastWidth = Math.max(...view.table.rows.map((r) => r.last.length), 5) + 2;
  const cellWidth = Math.max(...view.table.rows.flatMap((r) => r.cells.map((c) => c.text.length)), ...view.table.columns.map((c) => c.label.length)) + 2;
  lines.push(pad('', nameWidth) + pad('Close', lastWidth, true) + view.table.columns.map((c) => pad(c.label, cellWidth, true)).join(''));
  for (const row of view.table.rows) lines.push(pad(row.name, nameWidth) + pad(row.last, lastWidth, true) + row.cells.map((c) => pad(c.text, cellWidth, true)).join(''));
  lines.push(view.table.note, '');
  for (const section of view.sections) lines.push(section.title.toUpperCase(), [section.lead, section.leadRest].filter(Boolean).join(' '), ...section.paragraphs, '');
  if (view.sectors.length) {
    lines.push('SECTORS THIS WEEK');
    const width = Math.max(...view.sectors.map((s) => s.name.length)) + 2;
    for (const s of view.sectors) lines.push(`  ${pad(s.name, width)}${pad(s.text, 7, true)}`);
    lines.push('');
  }
  lines.push(rule, `Risk note. ${view.riskNote} This newsletter is for information only and is not investment advice. Past performance does not guarantee future results.`, '');
  lines.push(`Data: ${view.dataSource}. Returns are close to close; the base is the last session on or before the start of each period.`, '');
  if (view.web) lines.push(`${view.title} comes out every week: subscribe at ${view.subscribeUrl} to get it by email.`, view.postalAddress, '');
  else lines.push(`You receive ${view.title} at ${RECIPIENT_TOKENS.email} because you subscribed.`, `Unsubscribe: ${RECIPIENT_TOKENS.unsubscribeUrl}`, view.postalAddress, '');
  return lines.join('\n');
}
