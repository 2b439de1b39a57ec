/**
 * The bounce mailbox (BOUNCE_IMAP_URL: imap:// or imaps://user:password@host[:port][/mailbox][?verify=false]):
 * every unseen message is read as a report, recorded and acted on, then marked seen, so a run that dies
 * half-way reads the rest next time and nothing is counted twice.
 */
import { ImapFlow } from 'imapflow';
import { InputError } from '../errors.js';
import { recordFeedback } from './apply.js';
import type { Store } from '../db/index.js';
import { readReport } from './reports.js';

export class MailboxError extends InputError {
  override name = 'MailboxError';
}

export interface MailboxRun {
  /** Messages read. */
  read: number;
  /** Reports recorded (a message can report several recipients; a non-report reports none). */
  recorded: number;
}

export async function processBounceMailbox(url: string, store: Store, policy: { hardBounceLimit: number; softBouncesCount: boolean }, clock: () => Date): Promise<MailboxRun> {
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
    throw new MailboxError(`cannot read the bounce mailbox at ${u.host} (${why}): check BOUNCE_IMAP_URL`);
  }
  const run: MailboxRun = { read: 0, recorded: 0 };
  const lock = await client.getMailboxLock(decodeURIComponent(u.pathname.slice(1)) || 'INBOX');
  try {
    const unseen = (await client.search({ seen: false }, { uid: true })) || [];
    for (const uid of unseen) {
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
      // fetchOne answers false for a message gone since the search.
      if (message === false || !message.source) continue;
      run.read++;
      run.recorded += (await recordFeedback(store, await readReport(message.source), policy, clock())).length;
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    }
  } finally {
    lock.release();
    await client.logout();
  }
  return run;
}
