import { describe, expect, it } from 'vitest';
import { weeklyDigest } from '../jobs/weekly-digest.js';
import { lastDue, scheduleJobs, type Job } from '../src/edition/schedule.js';
import { testContext } from './helpers/context.js';

/** A job that counts its runs, on the default schedule (Saturday 08:00 New York). */
function countingJob(ranAlready = false) {
  const runs: Date[] = [];
  const job: Job = {
    name: 'counting',
    schedule: () => ({ cron: '0 8 * * 6', timeZone: 'America/New_York' }),
    ranSince: async () => ranAlready,
    run: async (ctx) => void runs.push(ctx.clock()),
  };
  return { job, runs };
}

describe('schedule', () => {
  it('finds the last due time within the grace period', () => {
    const saturday8am = new Date('2026-11-21T13:00:00Z');
    const match = (d: Date) => d.getTime() === saturday8am.getTime();
    expect(lastDue(match, new Date('2026-11-21T15:30:00Z'), 3 * 3600_000)).toEqual(saturday8am);
    expect(lastDue(match, new Date('2026-11-21T17:30:00Z'), 3 * 3600_000)).toBeNull();
  });

  it('runs a missed run once at start-up, within the grace period, and shows the next run', async () => {
    const ctx = testContext({}, new Date('2026-11-21T14:30:00Z')); // Saturday 09:30 New York
    const { job, runs } = countingJob();
    const scheduler = scheduleJobs(ctx, [job], 6 * 3600_000);
    await scheduler.ready;
    expect(runs).toHaveLength(1);
    expect(scheduler.nextRun()?.toISOString()).toMatch(/^\d{4}-\d{2}-\d{2}T13:00:00\.000Z$/); // 08:00 EST
    await scheduler.stop();
  });

  it('does not repeat a run that happened, nor one missed beyond the grace period', async () => {
    const ranAlready = countingJob(true);
    const ctx = testContext({}, new Date('2026-11-21T14:30:00Z'));
    const s1 = scheduleJobs(ctx, [ranAlready.job], 6 * 3600_000);
    await s1.ready;
    await s1.stop();
    expect(ranAlready.runs).toHaveLength(0);
    const late = countingJob();
    const s2 = scheduleJobs(testContext({}, new Date('2026-11-22T14:30:00Z')), [late.job], 6 * 3600_000);
    await s2.ready;
    await s2.stop();
    expect(late.runs).toHaveLength(0);
  });

  it('the weekly job knows whether a week went out, and which sends were interrupted', async () => {
    const ctx = testContext();
    await ctx.subscribers.add('ann@example.com');
    expect(await weeklyDigest.ranSince(ctx, new Date('2026-11-21T13:00:00Z'))).toBe(false);
    const stop = new AbortController();
    stop.abort();
    await weeklyDigest.run(ctx, { signal: stop.signal });
    expect(await weeklyDigest.ranSince(ctx, new Date('2026-11-21T13:00:00Z'))).toBe(true);
    expect(await weeklyDigest.interrupted(ctx)).toEqual(['2026-W47']);
    await weeklyDigest.run(ctx, { resume: true, editionId: '2026-W47' });
    expect(await weeklyDigest.interrupted(ctx)).toEqual([]);
    // A holiday week with no new session maps to the edition already sent.
    expect(await weeklyDigest.ranSince(ctx, new Date('2026-11-22T13:00:00Z'))).toBe(true);
  });
});
