/**
 * What the bench reads from outside the processes it measures: resident memory from /proc (a process
 * and its children, summed at each moment), and, after a send, the ledger itself (when each tenth of the
 * list went out, the counts the publisher sees, the database's size).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

const statusField = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

const tree = (pid: number): number[] => [pid, ...childrenOf(pid).flatMap(tree)];

/**
 * Samples processes every 20 ms: the peak of their summed RSS (the whole tree of each root, so a build
 * child counts while it lives), each root's own peak (VmHWM), the children's, and a timeline of the
 * roots' RSS every 250 ms for the tenths of a send.
 */
export function memorySampler(roots: () => number[]) {
  let treePeak = 0;
  let rootPeak = 0;
  let childPeak = 0;
  const timeline: Array<{ at: number; rss: number }> = [];
  let lastTimeline = 0;
  const timer = setInterval(() => {
    let sum = 0;
    let rootRss = 0;
    for (const root of roots()) {
      rootPeak = Math.max(rootPeak, statusField(root, 'VmHWM'));
      rootRss += statusField(root, 'VmRSS');
      for (const pid of tree(root)) {
        sum += statusField(pid, 'VmRSS');
        if (pid !== root) childPeak = Math.max(childPeak, statusField(pid, 'VmHWM'));
      }
    }
    treePeak = Math.max(treePeak, sum);
    if (Date.now() - lastTimeline >= 250) {
      lastTimeline = Date.now();
      timeline.push({ at: Date.now(), rss: rootRss });
    }
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return { treePeakMb: Math.round(treePeak), rootPeakMb: Math.round(rootPeak), childPeakMb: Math.round(childPeak), timeline };
    },
  };
}

/** SQL on the bench's database, SQLite file or PostgreSQL schema, the same text for both (`$1` placeholders). */
export interface BenchDb {
  all<R>(sql: string, ...values: unknown[]): Promise<R[]>;
  bytes(): Promise<number>;
  close(): Promise<void>;
}

export async function openBenchDb(dataDir: string, databaseUrl?: string): Promise<BenchDb> {
  if (!databaseUrl) {
    const file = join(dataDir, 'marketwrap.sqlite');
    const db = new Sqlite(file, { readonly: true });
    return {
      all: async <R>(sql: string, ...values: unknown[]) => db.prepare(sql.replace(/\$\d+/g, '?')).all(...values) as R[],
      bytes: async () => [file, `${file}-wal`].reduce((sum, f) => sum + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0),
      close: async () => void db.close(),
    };
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema')!;
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString(), options: `-c search_path=${schema}` });
  await client.connect();
  return {
    all: async <R>(sql: string, ...values: unknown[]) => (await client.query(sql, values)).rows as R[],
    bytes: async () =>
      Number(
        (
          await client.query<{ n: string }>(
            "SELECT SUM(pg_total_relation_size(c.oid))::bigint AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'r'",
            [schema],
          )
        ).rows[0]!.n,
      ),
    close: () => client.end(),
  };
}

/**
 * The send tenth by tenth, from the ledger: rows go out in subscriber order and each row's sent_at is
 * when its batch was written, so the sent_at of every tenth row marks the tenths. Each tenth's rate,
 * and the sender's peak RSS while it went out.
 */
export async function tenths(db: BenchDb, n: number, timeline: ReadonlyArray<{ at: number; rss: number }>) {
  const marks: number[] = [];
  for (let k = 0; k <= 10; k++) {
    const offset = Math.min(n - 1, Math.round((k * n) / 10));
    const [row] = await db.all<{ sent_at: string }>("SELECT sent_at FROM deliveries WHERE status = 'sent' ORDER BY subscriber_id LIMIT 1 OFFSET $1", offset);
    marks.push(Date.parse(row!.sent_at));
  }
  return Array.from({ length: 10 }, (_, k) => {
    const [from, to] = [marks[k]!, marks[k + 1]!];
    const rss = timeline.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss);
    return { perSecond: Math.round(n / 10 / Math.max(0.001, (to - from) / 1000)), rssMb: rss.length ? Math.round(Math.max(...rss)) : 0 };
  });
}

/** The rate from the first message written to the last: the send without the process's start-up. */
export async function sendRate(db: BenchDb, n: number): Promise<number> {
  const [span] = await db.all<{ first: string; last: string }>("SELECT MIN(sent_at) AS first, MAX(sent_at) AS last FROM deliveries WHERE status = 'sent'");
  return Math.round((n - 1) / ((Date.parse(span!.last) - Date.parse(span!.first)) / 1000));
}

/** How long the counts the publisher sees take: subscribers by status, and one edition's results (the ledger's COUNTS). */
export async function timedCounts(db: BenchDb) {
  const time = async (sql: string, ...values: unknown[]) => {
    const t0 = performance.now();
    await db.all(sql, ...values);
    return Math.round(performance.now() - t0);
  };
  const [edition] = await db.all<{ id: string }>('SELECT id FROM editions ORDER BY id DESC LIMIT 1');
  return {
    byStatusMs: await time('SELECT status, COUNT(*) AS n FROM subscribers GROUP BY status'),
    editionMs: await time(
      `SELECT COUNT(*) AS total, SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) AS queued, SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent,
         SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed, SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END) AS skipped
       FROM deliveries WHERE edition_id = $1`,
      edition?.id ?? '',
    ),
  };
}
