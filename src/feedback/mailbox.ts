/**
 * The bounce mailbox (BOUNCE_IMAP_URL: imap:// or imaps://user:password@host[:port][/mailbox][?verify=false]):
 * every unseen message is read as a report, recorded and acted on, then marked seen, so a run that dies
 * half-way reads the rest next time and nothing is counted twice. Each message is read on its own and
 * within bounds (size, parts, nesting, time): one that cannot be read is marked seen and flagged
 * $MarketwrapUnreadable, counted, and the run goes on, so one poison message never hides the rest.
 */
import { ImapFlow } from 'imapflow';
import { fail } from '../shared/errors.js';
import { emptyTally, type FeedbackDeps, type FeedbackTally, recordReport } from './apply.js';
import type { Feedback } from './policy.js';
import { readReport, REPORT_LIMITS } from './reports.js';

/** The keyword an unreadable message is flagged with (besides \Seen), for someone to look at it. */
export const UNREADABLE = '$MarketwrapUnreadable';

export interface MailboxRun extends FeedbackTally {
  /** Messages read. */
  read: number;
  /** Messages that could not be read within the bounds: marked seen and flagged UNREADABLE. */
  unreadable: number;
}

export async function processBounceMailbox(url: string, deps: FeedbackDeps, clock: () => Date): Promise<MailboxRun> {
  const u = new URL(url);
  const client = new ImapFlow({
    host: u.hostname,
    port: u.port ? Number(u.port) : u.protocol === 'imaps:' ? 993 : 143,
    secure: u.protocol === 'imaps:',
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    tls: { rejectUnauthorized: u.searchParams.get('verify') !== 'false' },
    logger: false,
  });
  try {
    await client.connect();
  } catch (error) {
    const e = error as { responseText?: string; message?: string; authenticationFailed?: boolean };
    const why = e.authenticationFailed ? 'the server refused the user or password' : (e.responseText ?? e.message ?? String(error));
    throw fail('MAILBOX_UNREADABLE', { host: u.host, reason: why });
  }
  const run: MailboxRun = { read: 0, unreadable: 0, ...emptyTally() };
  const lock = await client.getMailboxLock(decodeURIComponent(u.pathname.slice(1)) || 'INBOX');
  try {
    const unseen = (await client.search({ seen: false }, { uid: true })) || [];
    // Sizes first: a message over the bound is never downloaded.
    const sizes = unseen.length ? await client.fetchAll(unseen, { uid: true, size: true }, { uid: true }) : [];
    for (const { uid, size } of sizes) {
      const reports = (size ?? 0) > REPORT_LIMITS.bytes ? undefined : await readOne(client, uid);
      if (reports === null) continue;
      run.read++;
      if (reports === undefined) run.unreadable++;
      else await recordReport(deps, reports, clock(), run);
      await client.messageFlagsAdd(String(uid), reports === undefined ? ['\\Seen', UNREADABLE] : ['\\Seen'], { uid: true });
    }
  } finally {
    lock.release();
    await client.logout();
  }
  return run;
}

/** The reports in one message; undefined when it cannot be read within bounds; null when it is gone. */
async function readOne(client: ImapFlow, uid: number): Promise<Feedback[] | undefined | null> {
  const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
  // fetchOne answers false for a message gone since the search.
  if (message === false || !message.source) return null;
  try {
    return await readReport(message.source);
  } catch {
    // readReport throws only UnreadableReport: whatever is wrong is wrong with this message, not the run.
    return undefined;
  }
}

/** The run in one line (the CLI prints it, `serve` logs it); the breaker's stop is said plainly. */
export function mailboxSummary(run: MailboxRun): string {
  const line =
    `${run.read} messages read, ${run.recorded} bounces and complaints recorded: ${run.acted} acted on, ` +
    `${run.untrusted} without proof of a message we sent (kept, not acted on), ${run.unreadable} unreadable (flagged ${UNREADABLE})`;
  return run.tripped
    ? `${line}; the circuit breaker stopped acting: ${run.held} proven reports kept but not acted on (more than feedback.breaker allows in an hour; see /healthz)`
    : line;
}
