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

/** The shared queue: a job goes to a connection waiting for work, or waits for one. */
function jobQueue() {
  const queue: Job[] = [];
  const idle: Array<(job: Job | undefined) => void> = [];
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    /** True when a waiting connection took it at once. */
    push(job: Job): boolean {
      const waiting = idle.shift();
      if (waiting) waiting(job);
      else queue.push(job);
      return waiting !== undefined;
    },
    next(waitMs: number): Promise<Job | undefined> {
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
    },
    close() {
      closed = true;
      for (const waiting of idle.splice(0)) waiting(undefined);
    },
  };
}

interface Connections {
  open(): Promise<SmtpConnection>;
  release(connection: SmtpConnection | undefined): void;
}

/** One connection's life: take jobs from the queue, pipelining each behind the last, renewing the connection as configured. */
async function runConnection(jobs: ReturnType<typeof jobQueue>, connections: Connections, options: PoolOptions, timeouts: SmtpTimeouts): Promise<void> {
  let connection: SmtpConnection | undefined;
  let sent = 0;
  for (let job = await jobs.next(0); job; job = await jobs.next(IDLE_MS)) {
    if (!connection || connection.closed || sent >= options.messagesPerConnection) {
      connections.release(connection);
      connection = undefined;
      try {
        connection = await connections.open();
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
      // Pipelined: the next envelope goes out now; without PIPELINING, wait for this answer first.
      const settled = verdict.then(job.resolve, job.reject);
      if (!connection.pipelining) await settled;
    } catch (error) {
      job.reject(error);
    }
  }
  connections.release(connection);
}

export function smtpPool(settings: SmtpSettings, options: PoolOptions, timeouts: SmtpTimeouts = DEFAULT_TIMEOUTS): SmtpPool {
  const jobs = jobQueue();
  const count = { workers: 0, open: 0, peak: 0 };
  const connections: Connections = {
    async open() {
      const connection = await SmtpConnection.open(settings, timeouts);
      count.peak = Math.max(count.peak, ++count.open);
      return connection;
    },
    release(connection) {
      if (!connection) return;
      count.open--;
      connection.quit();
    },
  };
  return {
    send(message) {
      return new Promise((resolve, reject) => {
        if (jobs.closed) return reject(new Error('the SMTP pool is closed'));
        if (jobs.push({ message, resolve, reject }) || count.workers >= options.connections) return;
        count.workers++;
        void runConnection(jobs, connections, options, timeouts).finally(() => count.workers--);
      });
    },
    stats: () => ({ open: count.open, peak: count.peak }),
    close: () => jobs.close(),
  };
}
