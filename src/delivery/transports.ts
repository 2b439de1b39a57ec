/**
 * Where messages go: real SMTP (SMTP_URL) or the outbox, a folder of RFC 5322 .eml files that any
 * mail client opens. Both are nodemailer transports, so the bytes are the same either way.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';

export interface SendResult {
  messageId: string;
  /** SMTP: the server's final reply; outbox: the file written. */
  reply: string;
}

export interface Transport {
  kind: 'smtp' | 'outbox';
  /** For people: where messages go, without credentials. */
  describe: string;
  send(message: Mail.Options): Promise<SendResult>;
  close(): void;
}

export function smtpTransport(url: string): Transport {
  const transporter = nodemailer.createTransport(url);
  const safe = new URL(url);
  safe.username = '';
  safe.password = '';
  return {
    kind: 'smtp',
    describe: `SMTP ${safe.host}`,
    async send(message) {
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId, reply: info.response };
    },
    close: () => transporter.close(),
  };
}

const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9@._-]/g, '_');

export function outboxTransport(dir: string): Transport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const folder = resolve(dir);
  return {
    kind: 'outbox',
    describe: `outbox ${folder}`,
    async send(message) {
      const info = await transporter.sendMail(message);
      mkdirSync(folder, { recursive: true });
      const id = String(message.messageId ?? info.messageId).replace(/[<>]/g, '');
      const file = join(folder, `${fileSafe(id)}.eml`);
      // Write then rename: a crash never leaves half a message that looks whole.
      writeFileSync(`${file}.tmp`, info.message as Buffer);
      renameSync(`${file}.tmp`, file);
      return { messageId: info.messageId, reply: file };
    },
    close: () => transporter.close(),
  };
}

export function createTransport(smtpUrl: string | undefined, outboxDir: string): Transport {
  return smtpUrl ? smtpTransport(smtpUrl) : outboxTransport(outboxDir);
}
