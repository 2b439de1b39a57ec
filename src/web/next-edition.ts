/**
 * When the next edition goes out, in the reader's words ("Saturday, November 28 at 8:00 AM ET"), from
 * the config's cron schedule and time zone and a clock passed in (the page must not depend on the wall clock).
 */
import cron from 'node-cron';
import type { Newsletter } from '../config/newsletter.js';
import { nextDue } from '../edition/schedule.js';

/** A cron that matches nothing within five weeks (a yearly date) is not described: no promise we cannot keep. */
const HORIZON_MS = 35 * 24 * 3600_000;

type Schedule = Pick<Newsletter, 'schedule' | 'timeZone' | 'locale'>;

/** The next run after `now`; null when the schedule has none within the horizon. */
export function nextEditionAt(config: Schedule, now: Date): Date | null {
  // A task made only to match dates: never started, destroyed at once so it is not kept in node-cron's registry.
  const task = cron.createTask(config.schedule.cron, () => undefined, { timezone: config.timeZone });
  try {
    return nextDue((d) => task.match(d), now, HORIZON_MS);
  } finally {
    void task.destroy();
  }
}

/** "Saturday, November 28 at 8:00 AM ET": the date and time in the schedule's own zone. */
export function describeRun(config: Schedule, at: Date): string {
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(config.locale, { timeZone: config.timeZone, ...options }).format(at);
  const zone =
    new Intl.DateTimeFormat(config.locale, { timeZone: config.timeZone, timeZoneName: 'shortGeneric' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ??
    config.timeZone;
  return `${part({ weekday: 'long', month: 'long', day: 'numeric' })} at ${part({ hour: 'numeric', minute: '2-digit' })} ${zone}`;
}

/**
 * The sentence for a new subscriber. Matching a week of minutes costs about 0.2 s, so the answer is kept
 * while it holds: no run lies between the time it was computed from and the run it found.
 */
export function nextEditionText(config: Schedule): (now: Date) => string | undefined {
  let cached: { from: number; next: Date | null } | undefined;
  return (now) => {
    const t = now.getTime();
    if (!cached || t < cached.from || (cached.next && t >= cached.next.getTime())) cached = { from: t, next: nextEditionAt(config, now) };
    return cached.next ? `The next edition goes out ${describeRun(config, cached.next)}.` : undefined;
  };
}
