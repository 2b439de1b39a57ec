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
export { sendToList, sendAdHoc, classify, failureOutcome, processOwner, type DeliverySummary, type FailedRecipient, type SendPolicy } from './sender.js';
export { memoryState, tokenBucket, type RateLimit } from './rate.js';
export { messageIdFor, returnPathFor, type ProofKey } from './proof.js';
