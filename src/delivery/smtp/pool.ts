/**
 * The list's SMTP path: up to `connections` connections, each pipelining one message after another
 * from a shared queue, renewed after `messagesPerConnection` messages. A connection that dies takes
 * only its own messages with it (reported as the connection left them); the next message opens a new one.
 */
import { DEFAULT_TIMEOUTS, notSent, SmtpConnection, type SmtpReply, type SmtpTimeouts, type WireMessage } from './connection.js';
import type { SmtpSettings } from './settings.js';

export interface PoolOptions {
  connections: number;
  messagesPerConnection: number;
}

interface Job {
  message: WireMessage;
  resolve: (reply: SmtpReply) => void;
  reject: (error: unknown) => void;
}

/** A connection waits this long for more work before it says QUIT: the sender refills in batches. */
const IDLE_MS = 1000;

export interface SmtpPool {
  send(message: WireMessage): Promise<SmtpReply>;
  /** Connections open now, and the most that were ever open at once. */
  stats(): { open: number; peak: number };
  close(): void;
}

export function smtpPool(settings: SmtpSettings, options: PoolOptions, timeouts: SmtpTimeouts = DEFAULT_TIMEOUTS): SmtpPool {
  const queue: Job[] = [];
  const idle: Array<(job: Job | undefined) => void> = [];
  let workers = 0;
  let open = 0;
  let peak = 0;
  let closed = false;

  const nextJob = (waitMs: number): Promise<Job | undefined> => {
    if (queue.length > 0) return Promise.resolve(queue.shift());
    if (closed || waitMs === 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const take = (job: Job | undefined) => {
        clearTimeout(timer);
        resolve(job);
      };
      const timer = setTimeout(() => {
        idle.splice(idle.indexOf(take), 1);
        resolve(undefined);
      }, waitMs);
      idle.push(take);
    });
  };

  const connect = async (): Promise<SmtpConnection> => {
    const connection = await SmtpConnection.open(settings, timeouts);
    peak = Math.max(peak, ++open);
    return connection;
  };
  const release = (connection: SmtpConnection | undefined) => {
    if (!connection) return;
    open--;
    connection.quit();
  };

  const worker = async () => {
    let connection: SmtpConnection | undefined;
    let sent = 0;
    for (let job = await nextJob(0); job; job = await nextJob(IDLE_MS)) {
      if (!connection || connection.closed || sent >= options.messagesPerConnection) {
        release(connection);
        connection = undefined;
        try {
          connection = await connect();
          sent = 0;
        } catch (error) {
          // No transaction began on a connection that never opened: nothing can have been accepted.
          job.reject(notSent(error));
          continue;
        }
      }
      try {
        const { verdict } = await connection.begin(job.message, timeouts);
        sent++;
        const { resolve, reject } = job;
        // Pipelined: the next envelope goes out now; without PIPELINING, wait for this answer first.
        const settled = verdict.then(resolve, reject);
        if (!connection.pipelining) await settled;
      } catch (error) {
        job.reject(error);
      }
    }
    release(connection);
  };

  return {
    send(message) {
      return new Promise((resolve, reject) => {
        if (closed) return reject(new Error('the SMTP pool is closed'));
        const job = { message, resolve, reject };
        const waiting = idle.shift();
        if (waiting) return waiting(job);
        queue.push(job);
        if (workers < options.connections) {
          workers++;
          void worker().finally(() => workers--);
        }
      });
    },
    stats: () => ({ open, peak }),
    close() {
      closed = true;
      for (const waiting of idle.splice(0)) waiting(undefined);
    },
  };
}
