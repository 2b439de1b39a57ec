/** Who holds a row in flight: this process's owner name, and whether another sender's lease still holds. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This run of this process: host, pid and a nonce (a restarted container may reuse both). */
const OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
export const processOwner = () => OWNER;

/** How long a claim holds without renewal: a sender renews every third of it while it lives. */
export const LEASE_MS = 60_000;

/**
 * Is a row in flight still held by a live sender? Its lease says so (renewed while the sender lives);
 * on this host a dead pid, or this very pid from an earlier run, releases it at once.
 */
export function leaseHeld(row: { claimed_by: string | null; claimed_at: string | null }, now: Date, leaseMs = LEASE_MS): boolean {
  if (!row.claimed_by || !row.claimed_at || Date.parse(row.claimed_at) < now.getTime() - leaseMs) return false;
  if (row.claimed_by === OWNER) return true;
  const [host, pid] = row.claimed_by.split(':');
  if (host !== hostname()) return true;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}
