/**
 * Sends an edition to its recipients through a transport, recording each subscriber's delivery in the
 * ledger: a row already sent is skipped, so running the same edition twice never mails anyone twice.
 */
import type { Store } from '../db/index.js';
import type { MessageFactory, Recipient } from './message.js';
import type { Transport } from './transports.js';

export interface DeliveryResult {
  email: string;
  status: 'sent' | 'failed' | 'skipped';
  reply: string;
}

export interface DeliverySummary {
  transport: string;
  sent: number;
  failed: number;
  skipped: number;
  results: DeliveryResult[];
}

export interface DeliverInput {
  editionId: string;
  recipients: readonly Recipient[];
  build: MessageFactory;
  transport: Transport;
  /** The ledger; absent for test sends to ad-hoc addresses. */
  store?: Store;
  clock: () => Date;
}

export async function deliver({ editionId, recipients, build, transport, store, clock }: DeliverInput): Promise<DeliverySummary> {
  const summary: DeliverySummary = { transport: transport.describe, sent: 0, failed: 0, skipped: 0, results: [] };
  if (store) {
    const listed = recipients.filter((r) => r.subscriberId !== undefined);
    store.queueDeliveries(editionId, listed.map((r) => ({ subscriberId: r.subscriberId!, messageId: String(build(r).messageId) })), clock());
  }
  for (const recipient of recipients) {
    const row = store && recipient.subscriberId !== undefined ? store.delivery(editionId, recipient.subscriberId) : undefined;
    if (row && row.status !== 'queued') {
      summary.skipped++;
      summary.results.push({ email: recipient.email, status: 'skipped', reply: `already ${row.status}` });
      continue;
    }
    if (row) store!.markDelivery(editionId, recipient.subscriberId!, 'sending', null, clock());
    try {
      const { reply } = await transport.send(build(recipient));
      if (row) store!.markDelivery(editionId, recipient.subscriberId!, 'sent', reply, clock());
      summary.sent++;
      summary.results.push({ email: recipient.email, status: 'sent', reply });
    } catch (error) {
      const reply = (error as Error).message;
      if (row) store!.markDelivery(editionId, recipient.subscriberId!, 'failed', reply, clock());
      summary.failed++;
      summary.results.push({ email: recipient.email, status: 'failed', reply });
    }
  }
  return summary;
}
