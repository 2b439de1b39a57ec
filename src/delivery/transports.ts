/**
 * Where messages go: pooled SMTP (SMTP_URL) or the outbox, a folder of RFC 5322 .eml files that any
 * mail client opens. Both take the prepared raw message, so the bytes are the same either way.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { PreparedMessage } from './mime.js';

export interface SendResult {
  /** SMTP: the server's final reply; outbox: the file written. */
  reply: string;
}

export interface Transport {
  kind: 'smtp' | 'outbox';
  /** For people: where messages go, without credentials. */
  describe: string;
  send(message: PreparedMessage): Promise<SendResult>;
  close(): void;
}

export interface PoolOptions {
  connections: number;
  messagesPerConnection: number;
}

export function smtpTransport(url: string, pool: PoolOptions = { connections: 1, messagesPerConnection: 100 }): Transport {
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({
    pool: true,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : parsed.protocol === 'smtps:' ? 465 : 587,
    secure: parsed.protocol === 'smtps:',
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    maxConnections: pool.connections,
    maxMessages: pool.messagesPerConnection,
    // No pool-level rateLimit: the edition's rate is kept by token buckets that count actual sends.
  });
  return {
    kind: 'smtp',
    describe: `SMTP ${parsed.host}`,
    async send(message) {
      const info = await transporter.sendMail({ envelope: message.envelope, raw: message.raw });
      return { reply: info.response };
    },
    close: () => transporter.close(),
  };
}

const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9@._-]/g, '_');

export function outboxTransport(dir: string): Transport {
  const folder = resolve(dir);
  return {
    kind: 'outbox',
    describe: `outbox ${folder}`,
    async send(message) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const file = join(folder, `${fileSafe(message.messageId.replace(/[<>]/g, ''))}.eml`);
      // Write then rename: a crash never leaves half a message that looks whole.
      writeFileSync(`${file}.tmp`, message.raw, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return { reply: file };
    },
    close: () => undefined,
  };
}

export function createTransport(smtpUrl: string | undefined, outboxDir: string, pool?: PoolOptions): Transport {
  return smtpUrl ? smtpTransport(smtpUrl, pool) : outboxTransport(outboxDir);
}
