export { emailSchema, parseEmail } from './address.js';
export { unsubscribeUrl, confirmUrl } from './links.js';
export { signToken, tokenSubscriberId, verifyToken, type TokenPurpose, type TokenCheck, type TokenSubject } from './tokens.js';
export { createSubscriberService, emailHash, CONFIRM_TTL_DAYS, type SubscriberService, type SubscribeOutcome, type ImportReport } from './service.js';
