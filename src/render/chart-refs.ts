/**
 * How the email refers to its charts: by Content-ID, so each picture travels inside the message. This
 * is the one place that knows the form, and the one place that points the references elsewhere: PNG
 * files beside the edition (the archive, the web version) or data: URIs (the studio, tests).
 */
const DOMAIN = 'marketwrap';
const CHART_REF = new RegExp(`cid:([a-z0-9-]+)@${DOMAIN}`, 'g');

/** The Content-ID of a chart's MIME part, without angle brackets. */
export const chartCid = (name: string) => `${name}@${DOMAIN}`;

/** The chart's `src` in the email's HTML. */
export const chartSrc = (name: string) => `cid:${chartCid(name)}`;

/** Every chart reference pointed at `url(name)`; a name `url` does not know keeps its reference. */
export function pointChartsAt(html: string, url: (name: string) => string | undefined): string {
  return html.replace(CHART_REF, (ref, name: string) => url(name) ?? ref);
}
