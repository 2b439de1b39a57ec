export { createTransport, outboxTransport, smtpTransport, smtpListTransport, type Transport, type SendResult, type PoolOptions } from './transports.js';
export {
  messageFactory,
  domainOf,
  composeMessage,
  rawMessage,
  messageBytes,
  type Recipient,
  type Sender,
  type MessageFactory,
  type PreparedMessage,
} from './mime.js';
export { sendToList } from './sender.js';
export { sendAdHoc } from './ad-hoc.js';
export { classify } from './classify.js';
export { failureOutcome, type SendPolicy } from './outcomes.js';
export { processOwner } from './lease.js';
export type { DeliverySummary, FailedRecipient } from './summary.js';
export { memoryState, tokenBucket, type RateLimit } from './rate.js';
export { messageIdFor, returnPathFor, type ProofKey } from './proof.js';
