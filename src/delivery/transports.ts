/**
 * Where messages go: SMTP (SMTP_URL) or the outbox, a folder of RFC 5322 .eml files that any mail
 * client opens. Over SMTP the list goes through our pipelining pool (smtp/pool.ts) and single emails
 * (confirmations, welcome, --to, the studio's test) through nodemailer; all take the same prepared
 * message, so the bytes are the same every way.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { rawMessage, type PreparedMessage } from './mime.js';
import { smtpPool, type PoolOptions } from './smtp/pool.js';
import { smtpErrorFromNodemailer } from './smtp/from-nodemailer.js';
import { smtpSettings } from './smtp/settings.js';
import type { SmtpTimeouts } from './smtp/connection.js';

export type { PoolOptions };

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

/** Single emails: nodemailer, with the pool settings and TLS rules the list uses. */
export function smtpTransport(url: string, pool: PoolOptions): Transport {
  const settings = smtpSettings(url);
  const transporter = nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.implicitTls,
    requireTLS: settings.starttls === 'require',
    ignoreTLS: settings.starttls === 'never',
    tls: { rejectUnauthorized: settings.verifyCertificate },
    auth: settings.auth,
    maxConnections: pool.connections,
    maxMessages: pool.messagesPerConnection,
    // No pool-level rateLimit: the edition's rate is kept by token buckets that count actual sends.
  });
  return {
    kind: 'smtp',
    describe: `SMTP ${settings.host}:${settings.port}`,
    async send(message) {
      const info = await transporter.sendMail({ envelope: message.envelope, raw: rawMessage(message) }).catch((error: unknown) => {
        throw smtpErrorFromNodemailer(error);
      });
      return { reply: info.response };
    },
    close: () => transporter.close(),
  };
}

/** The list: `pool.connections` pipelining connections writing each message's shared Buffers. */
export function smtpListTransport(url: string, pool: PoolOptions, timeouts?: SmtpTimeouts): Transport & { stats(): { open: number; peak: number } } {
  const settings = smtpSettings(url);
  const connections = smtpPool(settings, pool, timeouts);
  return {
    kind: 'smtp',
    describe: `SMTP ${settings.host}:${settings.port} (${pool.connections} connections, pipelined)`,
    send: async (message) => ({ reply: (await connections.send(message)).text }),
    stats: connections.stats,
    close: connections.close,
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
      writeFileSync(`${file}.tmp`, rawMessage(message), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return { reply: file };
    },
    close: () => undefined,
  };
}

/** `list`: the edition's send to the list; `single`: one-off emails. */
export function createTransport(use: 'list' | 'single', smtpUrl: string | undefined, outboxDir: string, pool: PoolOptions): Transport {
  if (!smtpUrl) return outboxTransport(outboxDir);
  return use === 'list' ? smtpListTransport(smtpUrl, pool) : smtpTransport(smtpUrl, pool);
}
