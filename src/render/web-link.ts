/**
 * The "View in browser" link, in the HTML (header.mjml wraps it in <span class="web-link">) and the
 * plain text ("View in browser: <url>"). The site serves an edition once it has gone to the list, and
 * only then: an edition not yet sent (held by a check, demo data, a test) is no one's to read on the
 * web. So a test send or a newcomer's sample of such an edition goes without the link, rather than
 * with one that leads to "Not found". No MJML here: the sender uses it.
 */
const HTML_LINK = /<span class="web-link">[\s\S]*?<\/span>/g;
const TEXT_LINK = /^View in browser: .*\n/m;

export function withoutWebLink<T extends { html: string; text: string }>(edition: T): T {
  return { ...edition, html: edition.html.replace(HTML_LINK, ''), text: edition.text.replace(TEXT_LINK, '') };
}

/** A copy for a test send or a sample: with the link only once the edition went to the list (the site serves it). */
export async function testCopy<T extends { id: string; html: string; text: string }>(
  store: { edition(id: string): Promise<{ sent_at: string | null } | undefined> },
  edition: T,
): Promise<T> {
  return (await store.edition(edition.id))?.sent_at ? edition : withoutWebLink(edition);
}
