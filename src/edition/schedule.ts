/**
 * Runs the jobs in jobs/ on their cron schedules (node-cron, the config's time zone, no overlap), and
 * once at start-up when a scheduled run was missed within the grace period while the server was down.
 */
import cron from 'node-cron';
import type { Context } from '../shared/context.js';
import { messageOf } from '../shared/errors.js';

export interface Job {
  name: string;
  schedule(ctx: Context): { cron: string; timeZone: string };
  /** Did the run due at `due` already happen (so a missed-run catch-up must not repeat it)? */
  ranSince(ctx: Context, due: Date): Promise<boolean>;
  run(ctx: Context): Promise<unknown>;
}

export interface Scheduler {
  nextRun(): Date | null;
  /** Resolves when a start-up catch-up run (if any) has finished. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** The latest time at or before `now` (to the minute) matching the task's cron, within `graceMs`. */
export function lastDue(match: (date: Date) => boolean, now: Date, graceMs: number): Date | null {
  const minute = 60_000;
  const start = Math.floor(now.getTime() / minute) * minute;
  for (let t = start; t >= now.getTime() - graceMs; t -= minute) {
    if (match(new Date(t))) return new Date(t);
  }
  return null;
}

/** The first time after `now` (to the minute) matching the task's cron, within `horizonMs`; null when none. */
export function nextDue(match: (date: Date) => boolean, now: Date, horizonMs: number): Date | null {
  const minute = 60_000;
  const start = (Math.floor(now.getTime() / minute) + 1) * minute;
  for (let t = start; t <= now.getTime() + horizonMs; t += minute) {
    if (match(new Date(t))) return new Date(t);
  }
  return null;
}

export function scheduleJobs(ctx: Context, jobs: readonly Job[], graceMs: number): Scheduler {
  const tasks = jobs.map((job) => {
    const { cron: expression, timeZone } = job.schedule(ctx);
    const run = async () => {
      try {
        if (await job.ranSince(ctx, ctx.clock())) {
          // E.g. a week with no session since the last edition (a holiday week): nothing new to say.
          ctx.log.warn({ job: job.name }, 'no completed session since the last edition went out: nothing to send this time');
          return;
        }
        ctx.log.info({ job: job.name }, 'job started');
        const result = await job.run(ctx);
        ctx.log.info({ job: job.name, result }, 'job finished');
      } catch (error) {
        ctx.log.error({ job: job.name, err: messageOf(error) }, 'job failed');
      }
    };
    const task = cron.schedule(expression, run, { name: job.name, timezone: timeZone, noOverlap: true });
    return { job, task, run };
  });
  const ready = (async () => {
    for (const { job, task, run } of tasks) {
      const due = lastDue((d) => task.match(d), ctx.clock(), graceMs);
      if (due && !(await job.ranSince(ctx, due))) {
        ctx.log.warn({ job: job.name, due: due.toISOString() }, 'a scheduled run was missed while the server was down: running it now');
        await run();
      }
    }
  })();
  return {
    nextRun: () =>
      tasks
        .map((t) => t.task.getNextRun())
        .filter((d): d is Date => d !== null)
        .sort((a, b) => a.getTime() - b.getTime())[0] ?? null,
    ready,
    async stop() {
      for (const { task } of tasks) await task.destroy();
    },
  };
}
