/**
 * A real TCP server on 127.0.0.1 that speaks SMTP from a script: each command (and the end of each
 * message's data) gets the reply the script gives, or the connection is closed or left hanging. It
 * records what arrived, in order, and whether the next envelope came before a message's verdict.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { closeServer } from './ports.js';

export type Stage = 'greeting' | 'EHLO' | 'HELO' | 'AUTH' | 'MAIL' | 'RCPT' | 'DATA' | 'END' | 'RSET' | 'QUIT' | 'OTHER';
export type Action = string | 'close' | 'hang' | { delayMs?: number; reply: string; close?: boolean };

export interface ScriptedSmtp {
  url: string;
  /** Every command line and "<end of data>", per connection, as received. */
  log: string[][];
  /** Messages whose end of data was answered with 2xx. */
  accepted: string[];
  /** Connections open now / at most at once. */
  peak(): number;
  close(): Promise<void>;
}

const DEFAULT_REPLIES: Record<Stage, string> = {
  greeting: '220 scripted ESMTP',
  EHLO: '250-scripted\r\n250-PIPELINING\r\n250 8BITMIME',
  HELO: '250 scripted',
  AUTH: '235 ok',
  MAIL: '250 2.1.0 ok',
  RCPT: '250 2.1.5 ok',
  DATA: '354 go ahead',
  END: '250 2.0.0 queued',
  RSET: '250 reset',
  QUIT: '221 bye',
  OTHER: '502 5.5.2 not implemented',
};

/** `script(stage, n)`: n counts that stage across all connections, from 1; undefined keeps the default. */
export async function startScriptedSmtp(script: (stage: Stage, n: number, line: string) => Action | undefined = () => undefined): Promise<ScriptedSmtp> {
  const counts = new Map<Stage, number>();
  const log: string[][] = [];
  const accepted: string[] = [];
  const sockets = new Set<Socket>();
  let open = 0;
  let peak = 0;

  const server = createServer((socket) => {
    sockets.add(socket);
    peak = Math.max(peak, ++open);
    socket.on('close', () => {
      open--;
      sockets.delete(socket);
    });
    socket.on('error', () => undefined);
    const lines: string[] = [];
    log.push(lines);
    let inData = false;
    // A transaction as a server keeps it: RCPT needs a MAIL, DATA needs a recipient (RFC 2920 pipelining).
    let mailOk = false;
    let recipients: string[] = [];
    let buffer = '';
    let chain = Promise.resolve();
    // Each line's action is decided when it arrives (so counts follow arrival order); replies go out in order.
    const decide = (stage: Stage, line: string): Action => {
      const n = (counts.get(stage) ?? 0) + 1;
      counts.set(stage, n);
      if (stage === 'RCPT' && !mailOk) return '503 5.5.1 need MAIL first';
      if (stage === 'DATA' && recipients.length === 0) return '554 5.5.1 no valid recipients';
      const action = script(stage, n, line) ?? DEFAULT_REPLIES[stage];
      const ok = typeof action === 'string' ? action.startsWith('2') : 'reply' in action && action.reply.startsWith('2');
      if (stage === 'MAIL') mailOk = ok;
      if (stage === 'RCPT' && ok) recipients.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
      if (stage === 'RSET') [mailOk, recipients] = [false, []];
      return action;
    };
    const respond = (stage: Stage, action: Action, recipient: string) => {
      if (action === 'hang') return new Promise<void>(() => undefined);
      if (action === 'close') {
        socket.destroy();
        return Promise.resolve();
      }
      const { delayMs = 0, reply, close = false } = typeof action === 'string' ? { reply: action } : action;
      if (stage === 'END' && reply.startsWith('2')) accepted.push(recipient);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          if (!socket.destroyed) socket.write(`${reply}\r\n`);
          if (stage === 'QUIT' || close) socket.end();
          resolve();
        }, delayMs),
      );
    };
    const queue = (stage: Stage, line: string) => {
      const action = decide(stage, line);
      const recipient = recipients.join(',');
      if (stage === 'END') [mailOk, recipients] = [false, []];
      chain = chain.then(() => respond(stage, action, recipient));
      return action;
    };
    queue('greeting', '');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line !== '.') continue;
          inData = false;
          lines.push('<end of data>');
          queue('END', line);
          continue;
        }
        lines.push(line);
        const verb = line.split(/[ :]/)[0]!.toUpperCase();
        const stage: Stage = (['EHLO', 'HELO', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'RSET', 'QUIT'] as const).find((s) => s === verb) ?? 'OTHER';
        const action = queue(stage, line);
        // The body follows only a 354.
        if (stage === 'DATA') inData = (typeof action === 'string' ? action : action.reply).startsWith('354');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?starttls=never`,
    log,
    accepted,
    peak: () => peak,
    close: () => closeServer(server, sockets),
  };
}
