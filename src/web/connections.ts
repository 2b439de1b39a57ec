/**
 * Connection limits below the site's cap: one client (an IPv4 address, an IPv6 /64, which one holder
 * usually has whole) may hold only so many sockets at once, so a single source trickling headers
 * cannot fill the cap and lock everyone else (and /healthz) out.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientKey } from './clients.js';

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
