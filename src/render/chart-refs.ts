/**
 * How the email refers to its charts: by Content-ID, so each picture travels inside the message. This
 * is the one place that knows the form, and the one place that points the references elsewhere: PNG
 * files beside the edition (the archive, the web version) or data: URIs (the studio, tests).
 */
const DOMAIN = 'marketwrap';
// The email's form, and the saved copies' (the PNG beside the file, the chart's name after the "#"), so
// a saved copy can be pointed elsewhere again (the site serves it with /editions/<id>/<name>.png).
const CHART_REF = new RegExp(`cid:([a-z0-9-]+)@${DOMAIN}|[\\w.-]+\\.png#chart=([a-z0-9-]+)`, 'g');

/** The Content-ID of a chart's MIME part, without angle brackets. */
export const chartCid = (name: string) => `${name}@${DOMAIN}`;

/** The chart's `src` in the email's HTML. */
export const chartSrc = (name: string) => `cid:${chartCid(name)}`;

/** The chart's PNG in the edition archive, beside the edition's HTML files. */
export const chartFile = (editionId: string, name: string) => `${editionId}-${name}.png`;

/** The chart's `src` in a saved copy: the PNG beside it, so the copy shows its charts opened from disk. */
export const savedChartSrc = (editionId: string, name: string) => `${chartFile(editionId, name)}#chart=${name}`;

/** Every chart reference (either form) pointed at `url(name)`; a name `url` does not know keeps its reference. */
export function pointChartsAt(html: string, url: (name: string) => string | undefined): string {
  return html.replace(CHART_REF, (ref, cid: string | undefined, saved: string | undefined) => url((cid ?? saved)!) ?? ref);
}
