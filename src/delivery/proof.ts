/**
 * What proves that a bounce or complaint answers a message we sent: the Message-ID's random part and
 * the per-message return path (VERP) are HMACs with SECRET_KEY of (edition, subscriber). Anyone can
 * write a report naming any address; only we can compute these, so only a report that carries one is
 * acted on, and only for the one subscriber it names.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the message factory needs to sign each message's Message-ID and return path. */
export interface ProofKey {
  secret: string;
  /** The envelope sender bounces go to (default: the From address). */
  returnPath: string | undefined;
  /** Each list message gets its own return path, local+<edition>.<subscriber>.<mac>@domain. */
  verp: boolean;
}

type Purpose = 'message-id' | 'return-path';

function mac(secret: string, purpose: Purpose, editionId: string, who: string | number): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\n${editionId}\n${who}`).digest();
}

// 22 base64url characters (132 bits) keep the Message-ID's earlier shape; hex for the return path,
// because some mail servers change the case of a local part.
const idMac = (secret: string, editionId: string, who: string | number) => mac(secret, 'message-id', editionId, who).toString('base64url').slice(0, 22);
const pathMac = (secret: string, editionId: string, subscriberId: number) => mac(secret, 'return-path', editionId, subscriberId).toString('hex').slice(0, 24);

/** Deterministic per (edition, recipient): a resend is recognisably the same message. */
export function messageIdFor(secret: string, editionId: string, recipient: { email: string; subscriberId?: number }, domain: string): string {
  // An ad-hoc send (--to) has no subscriber and no ledger row: its id proves nothing anyway.
  const who = recipient.subscriberId ?? `to:${recipient.email.toLowerCase()}`;
  return `<${editionId}.${idMac(secret, editionId, who)}@${domain}>`;
}

/** The envelope sender of one message: VERP for a list message, the plain return path otherwise. */
export function returnPathFor(key: ProofKey, fallback: string, editionId: string, subscriberId: number | undefined): string {
  const base = key.returnPath ?? fallback;
  if (!key.verp || subscriberId === undefined) return base;
  const at = base.lastIndexOf('@');
  return `${base.slice(0, at)}+${editionId}.${subscriberId}.${pathMac(key.secret, editionId, subscriberId)}${base.slice(at)}`;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const MESSAGE_ID = /^<([A-Za-z0-9-]{1,40})\.([A-Za-z0-9_-]{22})@[^<>\s]{1,253}>$/;
const VERP = /^<?[^\s<>@+]{1,64}\+([A-Za-z0-9-]{1,40})\.(\d{1,15})\.([0-9a-fA-F]{24})@[^\s<>@]{1,253}>?$/;

/** The edition a Message-ID of ours names, when it has our shape (the subscriber comes from its delivery row). */
export function messageIdEdition(messageId: string): string | undefined {
  return MESSAGE_ID.exec(messageId.trim())?.[1];
}

/** True when `messageId` is the one we made for this subscriber of this edition. */
export function checkMessageId(secret: string, messageId: string, editionId: string, subscriberId: number): boolean {
  const match = MESSAGE_ID.exec(messageId.trim());
  return match !== null && match[1] === editionId && same(match[2]!, idMac(secret, editionId, subscriberId));
}

/** The (edition, subscriber) a VERP return path names, when its MAC is ours. */
export function checkReturnPath(secret: string, address: string): { editionId: string; subscriberId: number } | undefined {
  const match = VERP.exec(address.trim());
  if (!match) return undefined;
  const [, named, id, given] = match as unknown as [string, string, string, string];
  // Some servers lower-case a local part: edition ids are written one way (2026-W47, 2026-W47-fri).
  const editionId = named.toLowerCase().replace(/^(\d{4})-w/, '$1-W');
  const subscriberId = Number(id);
  return same(given.toLowerCase(), pathMac(secret, editionId, subscriberId)) ? { editionId, subscriberId } : undefined;
}

/** Whether an address has the VERP shape (whatever its MAC): worth offering as proof. */
export const looksLikeReturnPath = (address: string) => VERP.test(address.trim());
