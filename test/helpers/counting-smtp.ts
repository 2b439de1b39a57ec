/**
 * A fast SMTP sink on 127.0.0.1 that counts what it accepted per recipient and when: for sends of tens
 * of thousands of full-size messages, where parsing each (smtp-server with mailparser) would be the
 * bottleneck. PIPELINING, replies in order, message bodies scanned for their end and dropped.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { closeServer } from './ports.js';

export interface CountingSmtp {
  url: string;
  /** Messages accepted per recipient address. */
  counts: Map<string, number>;
  /** When each message was accepted (ms since the epoch), in order. */
  acceptedAt: number[];
  close(): Promise<void>;
}

const END_OF_DATA = Buffer.from('\r\n.\r\n');

export async function startCountingSmtp(): Promise<CountingSmtp> {
  const counts = new Map<string, number>();
  const acceptedAt: number[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let recipients: string[] = [];
    let inData = false;
    let pending: Buffer = Buffer.alloc(0);
    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') return '250-counting\r\n250-PIPELINING\r\n250 8BITMIME';
      if (verb === 'MAIL' || verb === 'RSET') {
        recipients = [];
        return '250 ok';
      }
      if (verb === 'RCPT') {
        recipients.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        return '250 ok';
      }
      if (verb === 'DATA') {
        inData = true;
        return '354 go ahead';
      }
      if (verb === 'QUIT') return '221 bye';
      return '250 ok';
    };
    socket.write('220 counting ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const replies: string[] = [];
      for (;;) {
        if (inData) {
          const end = pending.indexOf(END_OF_DATA);
          if (end < 0) {
            // Keep only what could be the start of the end-of-data line.
            pending = pending.subarray(Math.max(0, pending.length - END_OF_DATA.length + 1));
            break;
          }
          pending = pending.subarray(end + END_OF_DATA.length);
          inData = false;
          for (const r of recipients) counts.set(r, (counts.get(r) ?? 0) + 1);
          acceptedAt.push(Date.now());
          recipients = [];
          replies.push('250 2.0.0 queued');
          continue;
        }
        const eol = pending.indexOf('\r\n');
        if (eol < 0) break;
        const line = pending.subarray(0, eol).toString('latin1');
        pending = pending.subarray(eol + 2);
        replies.push(command(line));
        // DATA's body may start in this chunk: the end-of-data search needs the CRLF before a lone dot.
        if (inData) pending = Buffer.concat([Buffer.from('\r\n'), pending]);
      }
      if (replies.length > 0) socket.write(`${replies.join('\r\n')}\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?starttls=never`,
    counts,
    acceptedAt,
    close: () => closeServer(server, sockets),
  };
}
