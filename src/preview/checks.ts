/**
 * Offline checks of a rendered email: size against Gmail's clip, client support (caniemail's data set
 * for Gmail, Outlook and Apple Mail), images (no SVG or data: URIs; alt, width and height), links
 * (absolute https, or the local PUBLIC_URL), and no unresolved {{ }} placeholders.
 */
import { caniemail } from 'caniemail';
import { RECIPIENT_TOKENS } from '../render/personalize.js';

export interface Check {
  id: string;
  level: 'error' | 'warning' | 'info';
  message: string;
}

export const SIZE_AMBER = 51_200;
export const SIZE_RED = 102_400;

export function sizeBadge(bytes: number): 'green' | 'amber' | 'red' {
  return bytes >= SIZE_RED ? 'red' : bytes >= SIZE_AMBER ? 'amber' : 'green';
}

const CLIENTS = { 'gmail.desktop-webmail': 'Gmail', 'outlook.windows': 'Outlook (Windows)', 'apple-mail.macos': 'Apple Mail' } as const;

/** Attributes of every tag named `tag` (a tolerant scan; the HTML is MJML's own output). */
function tags(html: string, tag: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const match of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))) {
    const attrs: Record<string, string> = {};
    for (const a of match[1]!.matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/g)) attrs[a[1]!.toLowerCase()] = a[3] ?? a[4] ?? a[5] ?? '';
    for (const a of match[1]!.matchAll(/\s([\w:-]+)(?=\s|$|\/)/g)) attrs[a[1]!.toLowerCase()] ??= '';
    out.push(attrs);
  }
  return out;
}

export function checkEmail(html: string, publicUrl: string): Check[] {
  const checks: Check[] = [];
  const bytes = Buffer.byteLength(html);
  const badge = sizeBadge(bytes);
  checks.push({
    id: 'size',
    level: badge === 'red' ? 'error' : badge === 'amber' ? 'warning' : 'info',
    message: `${(bytes / 1024).toFixed(1)} KB of HTML${badge === 'red' ? ': Gmail clips it (102,400 bytes)' : badge === 'amber' ? ": over half of Gmail's clip size" : ''}`,
  });

  if (/<svg\b/i.test(html)) checks.push({ id: 'svg', level: 'error', message: 'inline <svg>: Gmail and Outlook do not show it; use a PNG' });
  for (const img of tags(html, 'img')) {
    const src = img['src'] ?? '';
    const name = src.length > 60 ? `${src.slice(0, 57)}...` : src;
    if (/^data:/i.test(src)) checks.push({ id: 'data-uri', level: 'error', message: `image ${name}: data: URIs are blocked by Gmail; host the image or attach it by CID` });
    if (/\.svg(\?|$)/i.test(src)) checks.push({ id: 'svg', level: 'error', message: `image ${name}: SVG images do not show in Gmail or Outlook` });
    if (!img['alt']?.trim()) checks.push({ id: 'alt', level: 'error', message: `image ${name} has no alt text` });
    if (!img['width'] || !img['height'])
      checks.push({ id: 'dimensions', level: 'error', message: `image ${name} needs width and height attributes (Outlook resizes it otherwise)` });
  }
  for (const a of tags(html, 'a')) {
    const href = a['href'];
    if (href === undefined || href.startsWith('mailto:') || href === RECIPIENT_TOKENS.unsubscribeUrl) continue;
    if (!(href.startsWith('https://') || href.startsWith(`${publicUrl}/`) || href === publicUrl)) {
      checks.push({ id: 'link', level: 'error', message: `link "${href.slice(0, 80)}" is not an absolute https URL (nor ${publicUrl})` });
    }
  }
  const unresolved = [...new Set([...html.matchAll(/\{\{[^}]*\}\}/g)].map((m) => m[0]))].filter((t) => !(Object.values(RECIPIENT_TOKENS) as string[]).includes(t));
  if (unresolved.length) checks.push({ id: 'placeholder', level: 'error', message: `unresolved placeholders: ${unresolved.join(', ')}` });

  checks.push(...clientSupport(html));
  return checks;
}

/**
 * What a reader of each client would see of the features it lacks (caniemail's data), in words; the
 * features with no visible effect worth a sentence are named at the end.
 */
const READER_SEES: Record<string, string> = {
  '@media': 'the phone layout (fewer table columns, smaller type) may not apply',
  'prefers-color-scheme': 'dark mode shows the client’s own inversion, not our dark colours',
  position: 'text hidden by positioning (the table’s hidden header) may show',
  'border-radius': 'square corners instead of rounded ones',
  '<style> element': 'the styles in the head may be dropped; the inline styles still apply',
  '!important keyword': 'the phone and dark-mode overrides may not win',
  'display:none': 'content hidden on phones may show',
  'background-image': 'background images do not show',
  'max-width': 'the email may stretch wider than designed',
};

function clientSupport(html: string): Check[] {
  const support = caniemail({ clients: Object.keys(CLIENTS) as Array<keyof typeof CLIENTS>, html });
  return Object.entries(CLIENTS).map(([client, label]) => {
    const key = client as keyof typeof CLIENTS;
    const titles = (issues: ReadonlyArray<{ title: string }> | undefined) => [...new Set((issues ?? []).map((i) => i.title))];
    const unsupported = titles(support.issues.errors.get(key));
    const partial = titles(support.issues.warnings.get(key));
    const seen = [...unsupported, ...partial].filter((t) => READER_SEES[t]).map((t) => `${READER_SEES[t]} (${t}${partial.includes(t) ? ', partly supported' : ''})`);
    const minor = [...unsupported, ...partial].filter((t) => !READER_SEES[t]);
    const sees = seen.length ? `a reader may see: ${seen.join('; ')}` : 'a reader sees the email as designed';
    return {
      id: `client:${client}`,
      level: unsupported.some((t) => READER_SEES[t]) ? 'warning' : 'info',
      message: `${label}: ${sees}${minor.length ? `. Small differences in ${minor.length} other features (${minor.slice(0, 6).join(', ')}${minor.length > 6 ? ', ...' : ''})` : ''}`,
    };
  });
}
