import { createHash } from 'node:crypto';
import type { ConsentSource, ImportEntry, StorePart, SubscriberRow } from '../db/index.js';
import { parseEmail } from './address.js';
import { signToken, tokenSubscriberId, verifyToken, type TokenCheck, type TokenPurpose } from './tokens.js';
import { fail, messageOf } from '../shared/errors.js';

/** How long a confirmation link works. */
export const CONFIRM_TTL_DAYS = 7;

/** A form that mails whoever's address is typed in must not become a way to mail-bomb them. */
const CONFIRM_GAP_MS = 15 * 60_000;
const CONFIRMS_PER_DAY = 3;

/** May another confirmation go to this address now? One per 15 minutes, three per UTC day. */
export function confirmationAllowed(subscriber: Pick<SubscriberRow, 'confirm_sent_at' | 'confirm_day' | 'confirm_day_count'>, now: Date): boolean {
  if (subscriber.confirm_sent_at && now.getTime() - Date.parse(subscriber.confirm_sent_at) < CONFIRM_GAP_MS) return false;
  return subscriber.confirm_day !== now.toISOString().slice(0, 10) || subscriber.confirm_day_count < CONFIRMS_PER_DAY;
}

export const emailHash = (email: string) => createHash('sha256').update(email.toLowerCase()).digest('hex');

/** Why an address is never mailed again, as the publisher is told it (the suppression's reason). */
const SUPPRESSED_BECAUSE: Record<string, string> = {
  erased: "was erased at its owner's request",
  complained: 'reported the newsletter as spam',
  bounced: 'bounced for good',
};
const suppressionWords = (reason: string) => SUPPRESSED_BECAUSE[reason] ?? 'is suppressed';

export type SubscribeOutcome =
  /** A confirmation email was queued with this token. */
  | { action: 'confirm'; subscriber: SubscriberRow; token: string }
  /** Nothing to send (already confirmed, suppressed, or throttled): the visitor is told the same thing anyway. */
  | { action: 'none' };

export interface ImportReport {
  accepted: number;
  duplicates: number;
  rejected: Array<{ line: number; value: string; reason: string }>;
}

/** What the service asks of the store: the list, its suppressions and the confirmation queue. */
export type SubscriberStore = StorePart<
  | 'findSubscriber'
  | 'addSubscriber'
  | 'setSubscriberStatus'
  | 'subscriberById'
  | 'listSubscribers'
  | 'confirmedSubscribers'
  | 'eraseSubscriber'
  | 'suppressionReason'
  | 'importSubscribers'
  | 'queueConfirmation'
  | 'transaction'
>;

/** The report keeps the first rejections (a file of garbage does not fill memory). */
const REJECTIONS_KEPT = 1000;
/** Lines stored together: one batch a round trip (or one SQLite transaction). */
const IMPORT_BATCH = 1000;

type ImportLine = ImportEntry & { line: number };
type Reject = (line: number, value: string, reason: string) => void;

/** The file's addresses that parse, with their suppression keys; the others rejected with the reason. */
async function* parsedAddresses(cells: AsyncIterable<{ line: number; value: string }>, reject: Reject): AsyncGenerator<ImportLine> {
  for await (const { line, value } of cells) {
    let email: string;
    try {
      email = parseEmail(value);
    } catch (error) {
      reject(line, value, messageOf(error).replace(/^".*?" /, ''));
      continue;
    }
    yield { line, email, emailHash: emailHash(email) };
  }
}

export class SubscriberService {
  constructor(
    private readonly store: SubscriberStore,
    private readonly clock: () => Date,
    private readonly secretKey: string,
  ) {}

  private async suppressed(email: string): Promise<boolean> {
    return (await this.store.suppressionReason(emailHash(email))) !== undefined;
  }

  /** Why an address is never mailed again, in the publisher's words; undefined when it may be. */
  private async suppressedBecause(email: string): Promise<string | undefined> {
    const reason = await this.store.suppressionReason(emailHash(email));
    return reason === undefined ? undefined : suppressionWords(reason);
  }

  /** Why the publisher may not add this address, in words; undefined when they may. */
  private async refusal(email: string): Promise<string | undefined> {
    const suppressed = await this.suppressedBecause(email);
    if (suppressed) return suppressed;
    // A one-click unsubscribe is the reader's decision: only they can undo it, through the form.
    if ((await this.store.findSubscriber(email))?.status === 'unsubscribed') return 'unsubscribed; only they can subscribe again, through the site';
    return undefined;
  }

  /** The publisher adds someone who consented elsewhere: confirmed at once, source recorded. */
  async add(input: string, source: ConsentSource = 'cli'): Promise<SubscriberRow> {
    const email = parseEmail(input);
    const refused = await this.refusal(email);
    if (refused) throw fail('SUBSCRIBER_REFUSED', { email, why: refused, rest: '' });
    return this.confirmOn(this.store, email, source);
  }

  private async confirmOn(store: SubscriberStore, email: string, source: ConsentSource): Promise<SubscriberRow> {
    const existing = await store.findSubscriber(email);
    if (existing?.status === 'confirmed') return existing;
    if (!existing) return store.addSubscriber(email, 'confirmed', source, this.clock());
    await store.setSubscriberStatus(existing.id, 'confirmed', this.clock());
    return (await store.findSubscriber(email))!;
  }

  /** Adds several at once, all or nothing: one bad address stores none of them. */
  async addAll(inputs: readonly string[], source: ConsentSource = 'cli'): Promise<SubscriberRow[]> {
    const emails = inputs.map(parseEmail);
    for (const email of emails) {
      const refused = await this.refusal(email);
      if (refused) throw fail('SUBSCRIBER_REFUSED', { email, why: refused, rest: emails.length > 1 ? '; nothing was added' : '' });
    }
    return this.store.transaction(async (tx) => {
      const added: SubscriberRow[] = [];
      for (const email of emails) added.push(await this.confirmOn(tx, email, source));
      return added;
    });
  }

  /** The link's verdict, and the subscriber it names (read once, for the check and for what follows). */
  private async checkToken(purpose: TokenPurpose, token: string): Promise<{ check: TokenCheck; subscriber: SubscriberRow | undefined }> {
    const id = tokenSubscriberId(token);
    const subscriber = id === undefined ? undefined : await this.store.subscriberById(id);
    return { check: verifyToken(this.secretKey, purpose, token, this.clock(), () => subscriber), subscriber };
  }

  /**
   * Double opt-in, step one: a new, pending or departed address gets a fresh confirmation link.
   * `network`: where the request came from, so the confirmation queue is fair between networks.
   */
  async subscribe(input: string, network = ''): Promise<SubscribeOutcome> {
    const email = parseEmail(input);
    if (await this.suppressed(email)) return { action: 'none' };
    let subscriber = await this.store.findSubscriber(email);
    if (subscriber?.status === 'confirmed') return { action: 'none' };
    if (!subscriber) subscriber = await this.store.addSubscriber(email, 'pending', 'form', this.clock());
    else if (subscriber.status !== 'pending') {
      // Re-subscribing after leaving (or a bounce) goes through confirmation again.
      await this.store.setSubscriberStatus(subscriber.id, 'pending', this.clock());
      subscriber = (await this.store.findSubscriber(email))!;
    }
    if (!confirmationAllowed(subscriber, this.clock())) return { action: 'none' };
    const expires = Math.floor(this.clock().getTime() / 1000) + CONFIRM_TTL_DAYS * 86_400;
    const token = signToken(this.secretKey, 'confirm', subscriber, expires);
    await this.store.queueConfirmation(subscriber.id, token, this.clock(), network);
    return { action: 'confirm', subscriber, token };
  }

  /** Step two: a valid token confirms; anything else changes nothing. */
  async confirm(token: string): Promise<TokenCheck & { subscriber?: SubscriberRow; newlyConfirmed?: boolean }> {
    const { check, subscriber } = await this.checkToken('confirm', token);
    if (!check.ok) return check;
    if (!subscriber) return { ok: false, reason: 'forged' };
    if (subscriber.status === 'confirmed') return { ...check, subscriber, newlyConfirmed: false };
    if (subscriber.status !== 'pending') return { ok: false, reason: 'expired' };
    await this.store.setSubscriberStatus(subscriber.id, 'confirmed', this.clock());
    return { ...check, subscriber: (await this.store.subscriberById(subscriber.id))!, newlyConfirmed: true };
  }

  /** One click from an email: idempotent, so a second click (or a scanner's) is harmless. */
  async unsubscribeByToken(token: string): Promise<TokenCheck> {
    const { check, subscriber } = await this.checkToken('unsubscribe', token);
    if (!check.ok) return check;
    if (subscriber && subscriber.status !== 'unsubscribed') await this.store.setSubscriberStatus(subscriber.id, 'unsubscribed', this.clock());
    return check;
  }

  async remove(input: string): Promise<SubscriberRow> {
    const email = parseEmail(input);
    const existing = await this.store.findSubscriber(email);
    if (!existing) throw fail('SUBSCRIBER_UNKNOWN', { email });
    await this.store.setSubscriberStatus(existing.id, 'unsubscribed', this.clock());
    return (await this.store.findSubscriber(email))!;
  }

  /**
   * GDPR erasure: personal data removed, a hash kept so the address is never mailed again (kept for an
   * address not on the list too: the request still stands). Says whether there was anyone to erase.
   */
  async erase(input: string): Promise<boolean> {
    const email = parseEmail(input);
    const existing = await this.store.findSubscriber(email);
    await this.store.eraseSubscriber(existing?.id ?? -1, emailHash(email), this.clock());
    return existing !== undefined;
  }

  /**
   * Addresses streamed from a file (see csv-import.ts); consent recorded as `import`. Reports what it did
   * with each, or with `dryRun` what it would do, writing nothing (the desk's preview). Stored a batch
   * at a time (a few statements per thousand lines, not three per line).
   */
  async import(cells: AsyncIterable<{ line: number; value: string }>, options: { dryRun?: boolean } = {}): Promise<ImportReport> {
    const report: ImportReport = { accepted: 0, duplicates: 0, rejected: [] };
    const reject = (line: number, value: string, reason: string) => {
      if (report.rejected.length < REJECTIONS_KEPT) report.rejected.push({ line, value: value.slice(0, 80), reason });
    };
    const addresses = parsedAddresses(cells, reject);
    if (options.dryRun) await this.previewImport(addresses, report, reject);
    else await this.storeImport(addresses, report, reject);
    return report;
  }

  private async storeImport(addresses: AsyncIterable<ImportLine>, report: ImportReport, reject: Reject): Promise<void> {
    let batch: ImportLine[] = [];
    const store = async () => {
      const outcomes = await this.store.importSubscribers(batch, this.clock());
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'added') report.accepted++;
        else if (outcome.status === 'duplicate') report.duplicates++;
        else reject(batch[i]!.line, batch[i]!.email, suppressionWords(outcome.reason));
      });
      batch = [];
    };
    for await (const address of addresses) {
      batch.push(address);
      if (batch.length >= IMPORT_BATCH) await store();
    }
    if (batch.length > 0) await store();
  }

  /** What an import would do, line by line, adding nobody: an address twice in the file is found here instead of in the store. */
  private async previewImport(addresses: AsyncIterable<ImportLine>, report: ImportReport, reject: Reject): Promise<void> {
    const previewed = new Set<string>();
    for await (const { line, email } of addresses) {
      const suppressed = await this.suppressedBecause(email);
      if (suppressed) reject(line, email, suppressed);
      else if (previewed.has(email.toLowerCase()) || (await this.store.findSubscriber(email))) report.duplicates++;
      else {
        previewed.add(email.toLowerCase());
        report.accepted++;
      }
    }
  }

  list(): Promise<SubscriberRow[]> {
    return this.store.listSubscribers();
  }

  recipients(): Promise<SubscriberRow[]> {
    return this.store.confirmedSubscribers();
  }
}

export function createSubscriberService(store: SubscriberStore, clock: () => Date, secretKey: string): SubscriberService {
  return new SubscriberService(store, clock, secretKey);
}
