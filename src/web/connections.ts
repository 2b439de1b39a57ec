/**
 * Connection limits below the site's cap: one client (an IPv4 address, an IPv6 /64, which one holder
 * usually has whole) may hold only so many sockets at once, so a single source trickling headers
 * cannot fill the cap and lock everyone else (and /healthz) out.
 */
import { isIPv6, type Socket } from 'node:net';
import type { Server } from 'node:http';

/** The part of an address one client controls: the IPv4 address, or the IPv6 /64. */
export function clientKey(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4 || !isIPv6(address)) return v4 ?? address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, "::" filled in, each without leading zeros. */
export function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const parts = (s: string | undefined) => (s ? s.split(':') : []);
  const missing = 8 - parts(head).length - parts(tail).length;
  const groups = tail === undefined ? parts(head) : [...parts(head), ...Array<string>(missing).fill('0'), ...parts(tail)];
  return groups.map((g) => Number.parseInt(g, 16).toString(16));
}

/** Destroys a new socket whose client already holds `perClient` open ones; counts drop as sockets close. */
export function limitConnectionsPerClient(server: Server, perClient: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const key = clientKey(socket.remoteAddress ?? '');
    const count = open.get(key) ?? 0;
    if (count >= perClient) return void socket.destroy();
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
