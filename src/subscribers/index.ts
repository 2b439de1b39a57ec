export { emailSchema, parseEmail, InvalidAddressError } from './address.js';
export { signToken, verifyToken, type TokenPurpose, type TokenCheck } from './tokens.js';
export { createSubscriberService, SubscriberError, type SubscriberService } from './service.js';
