/**
 * The archive as an Atom feed (RFC 4287): each sent edition with its headline and lede, newest first.
 * Pure: the rows and the ledes come in, the XML goes out.
 */
import { escapeHtml } from '../shared/escape.js';

export interface FeedEntry {
  id: string;
  headline: string;
  /** The edition's lede, when its saved JSON has one. */
  lede: string | undefined;
  sentAt: string;
}

export interface FeedSite {
  title: string;
  tagline: string;
  publicUrl: string;
}

/** How many editions the feed carries: readers poll it; the archive page has the rest. */
export const FEED_ENTRIES = 20;

/**
 * `now` is the feed's <updated> while it has no entry: RFC 4287 requires the element, and 1970 told
 * readers the feed was dead rather than new.
 */
export function atomFeed(site: FeedSite, entries: readonly FeedEntry[], now: Date): string {
  const x = escapeHtml;
  const updated = entries[0]?.sentAt ?? now.toISOString();
  const items = entries.slice(0, FEED_ENTRIES).map((e) => {
    const url = `${site.publicUrl}/editions/${encodeURIComponent(e.id)}`;
    return [
      '  <entry>',
      `    <title>${x(e.headline)}</title>`,
      `    <link rel="alternate" type="text/html" href="${x(url)}"/>`,
      `    <id>${x(url)}</id>`,
      `    <updated>${x(e.sentAt)}</updated>`,
      e.lede ? `    <summary>${x(e.lede)}</summary>` : '',
      '  </entry>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${x(site.title)}</title>`,
    `  <subtitle>${x(site.tagline)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${x(site.publicUrl)}/feed.xml"/>`,
    `  <link rel="alternate" type="text/html" href="${x(site.publicUrl)}/"/>`,
    `  <id>${x(site.publicUrl)}/</id>`,
    `  <updated>${x(updated)}</updated>`,
    `  <author><name>${x(site.title)}</name></author>`,
    ...items,
    '</feed>',
    '',
  ].join('\n');
}
