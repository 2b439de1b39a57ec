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

  const support = caniemail({ clients: Object.keys(CLIENTS) as Array<keyof typeof CLIENTS>, html });
  for (const [client, label] of Object.entries(CLIENTS)) {
    const unsupported = [...new Set((support.issues.errors.get(client as keyof typeof CLIENTS) ?? []).map((i) => i.title))];
    const partial = [...new Set((support.issues.warnings.get(client as keyof typeof CLIENTS) ?? []).map((i) => i.title))];
    checks.push({
      id: `client:${client}`,
      level: unsupported.length ? 'warning' : 'info',
      message: `${label}: ${unsupported.length ? `unsupported: ${unsupported.join(', ')}` : 'no unsupported features'}${partial.length ? `; partial: ${partial.join(', ')}` : ''}`,
    });
  }
  return checks;
}
