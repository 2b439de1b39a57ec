/**
 * The next edition as its readers will see it, for the web desk's preview: the draft exactly as saved
 * for the send, with the publisher's note and subject, its charts inline (data: URIs) and the recipient
 * parts filled for an example reader. No MJML, no rebuild: the words and numbers the list would get.
 */
import { parseSendable } from '../edition/archive.js';
import type { Store } from '../db/types.js';
import { pointChartsAt } from '../render/chart-refs.js';
import { personalizer } from '../render/personalize.js';
import { withReview } from './note.js';

export interface EditionPreview {
  subject: string;
  html: string;
  text: string;
}

/** undefined: no edition `id` saved for sending (never built by the schedule or a send). */
export async function previewEdition(
  deps: { store: Store },
  id: string,
  reader = { email: 'reader@example.com', unsubscribeUrl: '#unsubscribe' },
): Promise<EditionPreview | undefined> {
  const [json, row] = await Promise.all([deps.store.sendable(id), deps.store.editionReview(id)]);
  if (json === undefined || row === undefined) return undefined;
  const saved = parseSendable(id, json);
  const reviewed = withReview(saved, { note: row.note, subject: row.subject_override });
  const charts = new Map(saved.charts.map((c) => [c.name, `data:image/png;base64,${c.png.toString('base64')}`]));
  return {
    subject: reviewed.subject,
    html: personalizer(
      pointChartsAt(reviewed.html, (name) => charts.get(name)),
      'html',
    )(reader),
    text: personalizer(reviewed.text, 'text')(reader),
  };
}
