/** The proof a bounce must carry: our Message-ID and return path, made with SECRET_KEY, checked in constant time. */
import { describe, expect, it } from 'vitest';
import { checkMessageId, checkReturnPath, messageIdFor, returnPathFor } from '../../src/delivery/proof.js';

const KEY = { secret: 's'.repeat(40), returnPath: undefined, verp: true };

describe('proof of a message we sent', () => {
  it('the Message-ID keeps its shape and proves (edition, subscriber) only with our key', () => {
    const id = messageIdFor(KEY.secret, '2026-W47', { email: 'ann@example.com', subscriberId: 7 }, 'example.com');
    expect(id).toMatch(/^<2026-W47\.[A-Za-z0-9_-]{22}@example\.com>$/);
    expect(checkMessageId(KEY.secret, id, '2026-W47', 7)).toBe(true);
    expect(checkMessageId(KEY.secret, id, '2026-W47', 8)).toBe(false);
    expect(checkMessageId(KEY.secret, id, '2026-W48', 7)).toBe(false);
    expect(checkMessageId('t'.repeat(40), id, '2026-W47', 7)).toBe(false);
  });

  it('the VERP return path names (edition, subscriber), survives a lower-cased local part, and refuses a changed MAC or id', () => {
    const path = returnPathFor(KEY, 'digest@example.com', '2026-W47-fri', 42);
    expect(path).toMatch(/^digest\+2026-W47-fri\.42\.[0-9a-f]{24}@example\.com$/);
    expect(checkReturnPath(KEY.secret, path)).toEqual({ editionId: '2026-W47-fri', subscriberId: 42 });
    expect(checkReturnPath(KEY.secret, `<${path.toLowerCase()}>`)).toEqual({ editionId: '2026-W47-fri', subscriberId: 42 });
    expect(checkReturnPath(KEY.secret, path.replace('.42.', '.43.'))).toBeUndefined();
    expect(checkReturnPath('t'.repeat(40), path)).toBeUndefined();
    expect(checkReturnPath(KEY.secret, 'digest@example.com')).toBeUndefined();
  });

  it('an ad-hoc send (no subscriber) or verp off keeps the plain return path', () => {
    expect(returnPathFor(KEY, 'digest@example.com', '2026-W47', undefined)).toBe('digest@example.com');
    expect(returnPathFor({ ...KEY, verp: false, returnPath: 'bounces@example.com' }, 'digest@example.com', '2026-W47', 1)).toBe('bounces@example.com');
  });
});
