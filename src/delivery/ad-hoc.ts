/** A test send to addresses off the list: no ledger, one attempt each, every result reported. */
import { classify } from './classify.js';
import type { MessageFactory, Recipient } from './mime.js';
import type { DeliverySummary } from './summary.js';
import type { Transport } from './transports.js';

export async function sendAdHoc(
  recipients: readonly Recipient[],
  build: MessageFactory,
  transport: Transport,
): Promise<DeliverySummary & { sentTo: Array<{ email: string; reply: string }> }> {
  const started = Date.now();
  const summary: DeliverySummary = {
    transport: transport.describe,
    total: recipients.length,
    sent: 0,
    skipped: 0,
    failed: 0,
    failures: { temporary: 0, permanent: 0, ambiguous: 0 },
    queued: 0,
    inFlightAtStart: [],
    sending: 0,
    ambiguousBound: 1,
    failedRecipients: [],
    durationMs: 0,
    ratePerSecond: 0,
    interrupted: false,
  };
  const sentTo: Array<{ email: string; reply: string }> = [];
  for (const recipient of recipients) {
    try {
      sentTo.push({ email: recipient.email, reply: (await transport.send(build(recipient))).reply });
      summary.sent++;
    } catch (error) {
      const { failure, reply } = classify(error);
      summary.failed++;
      summary.failures[failure === 'server' ? 'temporary' : failure]++;
      summary.failedRecipients.push({ email: recipient.email, failure, reply });
    }
  }
  summary.durationMs = Date.now() - started;
  return Object.assign(summary, { sentTo });
}
