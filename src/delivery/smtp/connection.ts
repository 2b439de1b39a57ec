/**
 * One SMTP connection (RFC 5321) for list sends: greeting, EHLO, STARTTLS, AUTH, then transactions
 * pipelined across messages (RFC 2920). A message's MAIL/RCPT/DATA go out in one write right after the
 * previous message's body, so each message costs one round trip; a body is written only after its
 * 354, so at most one message per connection is ever past the end of its DATA without an answer.
 * Replies are matched to commands in order; every wait has a timeout.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import type { SmtpSettings } from './settings.js';

export interface SmtpReply {
  code: number;
  /** The whole reply, lines joined with "\n" (enhanced status codes included). */
  text: string;
}

/**
 * ENOTSENT: the connection was lost or timed out before the end of the message's DATA was written, so
 * the server cannot have accepted it (safe to retry). ECONNECTION / ETIMEDOUT after that: it may have.
 */
export type SmtpErrorCode = 'ECONNECTION' | 'ETIMEDOUT' | 'ENOTSENT' | 'ETLS' | 'EAUTH' | 'ECONNREFUSED' | 'EPROTOCOL';

/**
 * The SMTP client's failure: the stage (`command`) and the server's reply, read by the send's
 * classification (src/delivery/classify.ts), never shown to a user as a line of its own, so it is not a
 * catalogue failure. Nodemailer's errors (single emails) are translated into it where they arise.
 */
export class SmtpError extends Error {
  override name = 'SmtpError';
  constructor(
    message: string,
    readonly code: SmtpErrorCode,
    readonly command: string,
    readonly responseCode?: number,
    readonly response?: string,
  ) {
    super(message);
  }
}

export interface SmtpTimeouts {
  greetingMs: number;
  commandMs: number;
  /** For the reply to the end of DATA (RFC 5321 §4.5.3.2.6 suggests 10 minutes). */
  dataMs: number;
}
export const DEFAULT_TIMEOUTS: SmtpTimeouts = { greetingMs: 30_000, commandMs: 120_000, dataMs: 600_000 };

export interface WireMessage {
  envelope: { from: string; to: string };
  /** CRLF lines, dot-stuffed, ending in CRLF: written as they are, followed by ".\r\n". */
  wire: readonly Buffer[];
}

interface Waiter {
  command: string;
  timeoutMs: number;
  resolve: (reply: SmtpReply) => void;
  reject: (error: SmtpError) => void;
}

const MAX_LINE = 8192;
const ADDRESS = /^[^\s<>]+$/;

/** Splits the byte stream into replies: "250-..." lines continue one, "250 ..." ends it. */
function replyReader(): (chunk: string) => SmtpReply[] {
  let buffer = '';
  let lines: string[] = [];
  return (chunk) => {
    buffer += chunk;
    const replies: SmtpReply[] = [];
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      lines.push(line);
      if (line[3] === '-') continue;
      replies.push({ code: /^\d{3}/.test(line) ? Number(line.slice(0, 3)) : 0, text: lines.join('\n') });
      lines = [];
    }
    if (buffer.length > MAX_LINE) throw new SmtpError('the server sent a line longer than 8 KB', 'EPROTOCOL', 'reply');
    return replies;
  };
}

const replyError = (command: string, reply: SmtpReply, code: SmtpErrorCode = 'EPROTOCOL') => new SmtpError(`${command}: ${reply.text}`, code, command, reply.code, reply.text);

export class SmtpConnection {
  private socket: Socket;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private read = replyReader();
  private failure: SmtpError | undefined;
  private extensions = new Map<string, string>();

  private constructor(socket: Socket) {
    this.socket = socket;
    this.attach(socket);
  }

  /** Connects, reads the greeting, says EHLO, upgrades with STARTTLS and authenticates as settings say. */
  static async open(settings: SmtpSettings, timeouts: SmtpTimeouts = DEFAULT_TIMEOUTS): Promise<SmtpConnection> {
    const servername = isIP(settings.host) ? undefined : settings.host;
    const socket = settings.implicitTls
      ? tlsConnect({ host: settings.host, port: settings.port, servername, rejectUnauthorized: settings.verifyCertificate })
      : netConnect({ host: settings.host, port: settings.port });
    socket.setNoDelay(true);
    const connection = new SmtpConnection(socket);
    try {
      const greeting = await connection.expect('greeting', timeouts.greetingMs);
      if (greeting.code !== 220) throw replyError('CONN', greeting);
      await connection.hello(timeouts);
      if (settings.starttls !== 'never' && !settings.implicitTls) await connection.startTls(settings, servername, timeouts);
      if (settings.auth) await connection.authenticate(settings.auth, timeouts);
      return connection;
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  get pipelining(): boolean {
    return this.extensions.has('PIPELINING');
  }

  /**
   * Sends the envelope and, once the server says 354, the body. Resolves when the body is written, with
   * the promise of the server's verdict (wrapped, so awaiting this does not wait for it); rejects with the reply that refused the envelope (after RSET).
   */
  async begin(message: WireMessage, timeouts: SmtpTimeouts = DEFAULT_TIMEOUTS): Promise<{ verdict: Promise<SmtpReply> }> {
    const { from, to } = message.envelope;
    if (!ADDRESS.test(from) || !ADDRESS.test(to)) throw new SmtpError(`refusing an envelope address with spaces or angle brackets: ${to}`, 'EPROTOCOL', 'RCPT TO');
    const commands = [`MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA'];
    const replies: SmtpReply[] = [];
    let lost: unknown;
    if (this.pipelining) {
      for (const settled of await Promise.allSettled(this.send(commands, timeouts.commandMs))) {
        if (settled.status === 'rejected') {
          lost = settled.reason;
          break;
        }
        replies.push(settled.value);
      }
    } else {
      for (const command of commands) {
        try {
          const reply = await this.send([command], timeouts.commandMs)[0]!;
          replies.push(reply);
          if (reply.code >= 400) break;
        } catch (error) {
          lost = error;
          break;
        }
      }
    }
    // A refusal the server gave before it hung up (a 421 to RCPT) is the answer that counts.
    const [mail, rcpt, data] = replies;
    const refused =
      mail && mail.code >= 400
        ? (['MAIL FROM', mail] as const)
        : rcpt && rcpt.code >= 400
          ? (['RCPT TO', rcpt] as const)
          : data && data.code !== 354
            ? (['DATA', data] as const)
            : undefined;
    if (refused) {
      if (!this.closed) {
        // A server that answered 354 anyway gets an empty body; then RSET clears the transaction.
        if (data?.code === 354) await this.send(['.'], timeouts.dataMs)[0]!.catch(() => undefined);
        await this.send(['RSET'], timeouts.commandMs)[0]!.catch(() => undefined);
      }
      throw replyError(refused[0], refused[1]);
    }
    if (lost !== undefined) throw notSent(lost);
    return { verdict: this.writeBody(message.wire, timeouts) };
  }

  private writeBody(wire: readonly Buffer[], timeouts: SmtpTimeouts): Promise<SmtpReply> {
    let flushed = false;
    const verdict = this.expect('DATA', timeouts.dataMs);
    this.socket.cork();
    for (const chunk of wire) this.socket.write(chunk);
    this.socket.write('.\r\n', (error) => (flushed = !error));
    this.socket.uncork();
    return verdict.then(
      (reply) => (reply.code >= 200 && reply.code < 300 ? reply : Promise.reject(replyError('DATA', reply))),
      (error: SmtpError) => Promise.reject(flushed ? error : notSent(error)),
    );
  }

  /** QUIT after every answer already awaited, then close; never throws. */
  quit(): void {
    if (this.failure) return;
    this.send(['QUIT'], 5000)[0]!.then(
      () => this.destroy(),
      () => this.destroy(),
    );
  }

  destroy(): void {
    this.fail(new SmtpError('connection closed', 'ECONNECTION', 'CONN'));
    this.socket.destroy();
  }

  private async hello(timeouts: SmtpTimeouts): Promise<void> {
    const name = hostname() || 'localhost';
    let reply = await this.send([`EHLO ${name}`], timeouts.commandMs)[0]!;
    if (reply.code >= 500 && reply.code < 503) reply = await this.send([`HELO ${name}`], timeouts.commandMs)[0]!;
    if (reply.code !== 250) throw replyError('EHLO', reply);
    this.extensions = new Map(
      reply.text
        .split('\n')
        .slice(1)
        .map((line) => {
          const [keyword = '', ...rest] = line.slice(4).split(' ');
          return [keyword.toUpperCase(), rest.join(' ').toUpperCase()];
        }),
    );
  }

  private async startTls(settings: SmtpSettings, servername: string | undefined, timeouts: SmtpTimeouts): Promise<void> {
    if (!this.extensions.has('STARTTLS')) {
      if (settings.starttls === 'require') throw new SmtpError(`${settings.host} does not offer STARTTLS and SMTP_URL says starttls=require`, 'ETLS', 'STARTTLS');
      return;
    }
    const reply = await this.send(['STARTTLS'], timeouts.commandMs)[0]!;
    if (reply.code !== 220) throw replyError('STARTTLS', reply, 'ETLS');
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    const secure = tlsConnect({ socket: plain, servername, rejectUnauthorized: settings.verifyCertificate });
    this.socket = secure;
    this.read = replyReader();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SmtpError('STARTTLS: no TLS handshake within the greeting timeout', 'ETLS', 'STARTTLS')), timeouts.greetingMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      secure.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(new SmtpError(`STARTTLS: ${error.message} (SMTP_URL ?verify=false accepts it, on a network you trust)`, 'ETLS', 'STARTTLS'));
      });
    });
    this.attach(secure);
    await this.hello(timeouts);
  }

  private async authenticate(auth: { user: string; pass: string }, timeouts: SmtpTimeouts): Promise<void> {
    const mechanisms = (this.extensions.get('AUTH') ?? '').split(' ');
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    let reply: SmtpReply;
    if (mechanisms.includes('PLAIN')) {
      reply = await this.send([`AUTH PLAIN ${b64(`\0${auth.user}\0${auth.pass}`)}`], timeouts.commandMs)[0]!;
    } else if (mechanisms.includes('LOGIN')) {
      reply = await this.send(['AUTH LOGIN'], timeouts.commandMs)[0]!;
      if (reply.code === 334) reply = await this.send([b64(auth.user)], timeouts.commandMs)[0]!;
      if (reply.code === 334) reply = await this.send([b64(auth.pass)], timeouts.commandMs)[0]!;
    } else {
      throw new SmtpError(`the server offers no AUTH PLAIN or LOGIN (it offers: ${mechanisms.join(' ') || 'none'}); check SMTP_URL`, 'EAUTH', 'AUTH');
    }
    if (reply.code !== 235) throw replyError('AUTH', reply, 'EAUTH');
  }

  /** Writes the commands in one go; one promise per reply, in order. */
  private send(commands: readonly string[], timeoutMs: number): Array<Promise<SmtpReply>> {
    const replies = commands.map((command) => this.expect(command.split(' ')[0]!, timeoutMs));
    if (!this.failure) this.socket.write(`${commands.join('\r\n')}\r\n`);
    return replies;
  }

  private expect(command: string, timeoutMs: number): Promise<SmtpReply> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiters.push({ command, timeoutMs, resolve, reject });
      this.arm();
    });
  }

  private arm(): void {
    if (this.timer || this.waiters.length === 0) return;
    const head = this.waiters[0]!;
    this.timer = setTimeout(() => {
      this.fail(new SmtpError(`no answer to ${head.command} within ${head.timeoutMs / 1000} s`, 'ETIMEDOUT', head.command));
      this.socket.destroy();
    }, head.timeoutMs);
  }

  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      let replies: SmtpReply[];
      try {
        replies = this.read(chunk.toString('latin1'));
      } catch (error) {
        this.fail(error as SmtpError);
        socket.destroy();
        return;
      }
      for (const reply of replies) this.answer(reply);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(socketError(error)));
    socket.on('close', () => this.fail(new SmtpError('the server closed the connection', 'ECONNECTION', 'CONN')));
  }

  private answer(reply: SmtpReply): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const waiter = this.waiters.shift();
    // An answer nobody asked for (a 421 before closing an idle connection): this connection is done.
    if (!waiter) {
      this.fail(replyError('CONN', reply, 'ECONNECTION'));
      this.socket.destroy();
      return;
    }
    waiter.resolve(reply);
    this.arm();
  }

  private fail(error: SmtpError): void {
    this.failure ??= error;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

function socketError(error: NodeJS.ErrnoException): SmtpError {
  if (error.code === 'ECONNREFUSED') return new SmtpError(error.message, 'ECONNREFUSED', 'CONN');
  if (error.code && TLS_CODES.test(error.code)) return new SmtpError(`TLS: ${error.message} (SMTP_URL ?verify=false accepts it, on a network you trust)`, 'ETLS', 'CONN');
  return new SmtpError(error.message, 'ECONNECTION', 'CONN');
}

/** The connection failed before this message's end of DATA was written: it cannot have been accepted. */
export function notSent(error: unknown): SmtpError {
  const e = error as SmtpError;
  if (e instanceof SmtpError && (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT'))
    return new SmtpError(`${e.message} (before the message was sent)`, 'ENOTSENT', e.command, e.responseCode, e.response);
  return e;
}
