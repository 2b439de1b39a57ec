/** The week an edition covers, from what the user typed (or the clock): light, so the sender can load it. */
import { lastCompletedSession, lastCompletedWeekEnd, sessionOnOrBefore } from '../market/calendar.js';
import { fail } from '../shared/errors.js';
import { isoDateSchema, type IsoDate } from '../market/types.js';

/** The calendar's range: before it there are no closes to speak of, after it no rules to trust. */
const FIRST_DATE = '1928-01-03';
const LAST_DATE = '2099-12-31';

/** A date given on the command line (--as-of, --from, --to), checked before anything is touched. */
export function parseUserDate(flag: string, input: string): IsoDate {
  const parsed = isoDateSchema.safeParse(input);
  if (!parsed.success) {
    const problem = parsed.error.issues[0]!.message;
    // The schema's own words may already show the form; say it once.
    throw fail('DATE_INVALID', { flag, input, problem: problem.includes('YYYY-MM-DD') ? problem : `${problem}: use YYYY-MM-DD` });
  }
  if (parsed.data < FIRST_DATE || parsed.data > LAST_DATE) throw fail('DATE_OUTSIDE_CALENDAR', { flag, input, first: FIRST_DATE, last: LAST_DATE });
  return parsed.data;
}

/** The as-of session: the given date's last session, or the end of the last completed week; never the future. */
export function resolveAsOf(input: string | undefined, now: Date): IsoDate {
  const latest = lastCompletedSession(now);
  if (input === undefined) return lastCompletedWeekEnd(now);
  const session = sessionOnOrBefore(parseUserDate('--as-of', input));
  if (session > latest) throw fail('AS_OF_AHEAD', { input, latest });
  return session;
}
