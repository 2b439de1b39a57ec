/**
 * Whether and how an edition goes out: a pure decision from the situation, so every combination is a
 * row of a truth table (test/delivery/policy.test.ts) rather than a path through the job.
 */
import { defaultNewsletter } from '../config/defaults.js';

export interface SendSituation {
  /** What was asked: the list, some addresses (`--to`), or nothing (`--dry-run`). */
  request: 'list' | 'adhoc' | 'dry-run';
  /** Has this edition's send to the list begun (and finished)? */
  started: boolean;
  completed: boolean;
  /** Guard findings on a freshly built edition (a started one was judged when it started). */
  dataIssues: number;
  demo: boolean;
  overSmtp: boolean;
  allowDemoData: boolean;
  confirmed: number;
  /** Mail goes to the outbox folder, not a server (a newcomer's first run). */
  outbox: boolean;
  /** The SMTP server is on this machine (a sink for trying it out, or a test): placeholders may go there. */
  smtpLoopback: boolean;
  /** Settings still at their placeholders (placeholderSettings): what to set before a real list send. */
  placeholders: string[];
  /** What the truth checks and the editor's lint found in the copy of a freshly built edition. */
  findings: number;
  /** The publisher read the findings and sends it anyway. */
  sendDespiteFindings: boolean;
}

export type SendDecision =
  | { action: 'refuse'; because: 'already-sent' | 'in-progress' | 'data-issues' | 'demo-over-smtp' | 'placeholders' | 'findings' }
  | { action: 'dry-run' | 'adhoc' | 'sample' | 'nobody' | 'queue-and-send' };

export function decideSend(s: SendSituation): SendDecision {
  if (s.request === 'dry-run') return { action: 'dry-run' };
  if (s.request === 'list' && s.started) return { action: 'refuse', because: s.completed ? 'already-sent' : 'in-progress' };
  if (!s.started && s.dataIssues > 0) return { action: 'refuse', because: 'data-issues' };
  if (s.overSmtp && s.demo && !s.allowDemoData) return { action: 'refuse', because: 'demo-over-smtp' };
  if (s.request === 'adhoc') return { action: 'adhoc' };
  if (placeholdersRefused(s)) return { action: 'refuse', because: 'placeholders' };
  // An empty list over the outbox still shows a newcomer the email: one sample copy to the sender.
  if (s.confirmed === 0) return { action: s.outbox ? 'sample' : 'nobody' };
  // Copy that fails a check is held from the list (a test send or a sample still shows it to the publisher).
  if (s.findings > 0 && !s.sendDespiteFindings) return { action: 'refuse', because: 'findings' };
  return { action: 'queue-and-send' };
}

/** A list send to a real server (not loopback) with settings still at their placeholders is refused. */
const placeholdersRefused = (s: { overSmtp: boolean; smtpLoopback: boolean; placeholders: readonly string[] }) => s.overSmtp && !s.smtpLoopback && s.placeholders.length > 0;

/** 127.0.0.0/8, ::1 and localhost: a server on this machine, where no reader gets the mail. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || /^::ffff:127\./.test(h);
}

/** What a publisher still has to set before mail goes to readers: each item says what and where. */
export function placeholderSettings(t: { senderEmail: string; postalAddress: string; publicUrl: string }): string[] {
  const unset: string[] = [];
  if (t.senderEmail === defaultNewsletter.sender.email) unset.push(`the sender is still ${t.senderEmail} (set MAIL_FROM, or "sender" in the config)`);
  if (t.postalAddress === defaultNewsletter.postalAddress) unset.push('the postal address is still the example one (set "postalAddress" in the config)');
  if (!t.publicUrl.startsWith('https://')) unset.push(`PUBLIC_URL is ${t.publicUrl}, not https (set PUBLIC_URL to the site's https:// address)`);
  return unset;
}

/** The one line for a placeholder refusal, whichever sender meets it. */
export function placeholderRefusal(id: string, placeholders: readonly string[]): string {
  return `not sending ${id} to the list over SMTP with placeholder settings: ${placeholders.join('; ')}; a loopback SMTP_URL (127.0.0.1) stays allowed for trying it out`;
}

/** The frozen side of an edition's send terms (src/delivery/terms.ts), as the policy compares them. */
export interface Terms {
  sender: { name: string; email: string };
  listId: string;
  messageIdDomain: string;
  keyFingerprint: string;
  publicUrl: string;
  postalAddress: string;
  demoOverSmtp: boolean;
}

/**
 * Why this process may not send an edition under the terms frozen with it, in one line (what differs,
 * what to do), or undefined when it may. Pure: each mismatch is a row of a table in the tests.
 */
export function termsMismatch(frozen: Terms, here: Terms, s: { id: string; demo: boolean; overSmtp: boolean; smtpLoopback: boolean; allowDemoData: boolean }): string | undefined {
  if (s.demo && s.overSmtp && !frozen.demoOverSmtp && !s.allowDemoData)
    return `not sending ${s.id} over SMTP: it was built from demo data and queued without --allow-demo-data; send it with \`marketwrap digest --resume --allow-demo-data\`, or build it again from live data with \`marketwrap digest --new-edition\``;
  const placeholders = placeholderSettings({ senderEmail: frozen.sender.email, postalAddress: frozen.postalAddress, publicUrl: frozen.publicUrl });
  if (placeholdersRefused({ ...s, placeholders })) return placeholderRefusal(s.id, placeholders);
  const differs: string[] = [];
  const from = (t: Terms) => `"${t.sender.name} <${t.sender.email}>"`;
  if (frozen.sender.name !== here.sender.name || frozen.sender.email !== here.sender.email)
    differs.push(`the sender is ${from(here)}, not ${from(frozen)} (MAIL_FROM or the config's sender)`);
  if (frozen.listId !== here.listId) differs.push(`the list id is ${here.listId}, not ${frozen.listId} (the config's title and sender)`);
  if (frozen.messageIdDomain !== here.messageIdDomain) differs.push(`the Message-ID domain is ${here.messageIdDomain}, not ${frozen.messageIdDomain}`);
  if (frozen.publicUrl !== here.publicUrl) differs.push(`PUBLIC_URL is ${here.publicUrl}, not ${frozen.publicUrl} (the links would point elsewhere)`);
  if (frozen.keyFingerprint !== here.keyFingerprint)
    differs.push(`SECRET_KEY is another key (fingerprint ${here.keyFingerprint}, the edition's links need ${frozen.keyFingerprint})`);
  if (differs.length === 0) return undefined;
  return `not sending ${s.id}: this process's settings differ from the ones it was queued with: ${differs.join('; ')}; give this sender the publisher's settings and run it again`;
}
