/**
 * A minimal SMTP server on loopback that drops the connection after receiving a message's data and
 * before answering: the "did it arrive?" case no well-behaved server library will stage.
 */
import { createServer, type Socket } from 'node:net';
import { closeServer } from './ports.js';
import type { AddressInfo } from 'node:net';

export interface DroppingServer {
  url: string;
  /** Messages whose data arrived completely before the connection was dropped. */
  received: number;
  close(): Promise<void>;
}

export async function startDroppingSmtp(): Promise<DroppingServer> {
  const sockets = new Set<Socket>();
  const state = { received: 0 };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let inData = false;
    let buffer = '';
    socket.write('220 flaky.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (inData) {
        if (buffer.includes('\r\n.\r\n')) {
          state.received++;
          socket.destroy(); // the message is here; the 250 never leaves
        }
        return;
      }
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-flaky.test\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') socket.write('250 OK\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
          return;
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    close: () => closeServer(server, sockets),
  };
}
