export { createTransport, outboxTransport, smtpTransport, type Transport, type SendResult } from './transports.js';
export { messageFactory, messageIdFor, domainOf, type Recipient, type Sender, type MessageFactory } from './message.js';
export { deliver, type DeliverySummary, type DeliveryResult } from './sender.js';
