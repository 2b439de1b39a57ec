/**
 * Edition ids, one definition: `2026-W47` for the week ending on its last session, `2026-W48-tue` for a
 * week-to-date special through Tuesday (so it never takes the week's own id), and `-2`, `-3` for a
 * second or third edition of either (`digest --new-edition`).
 */
import { z } from 'zod';
import { isoWeekId, lastSessionOfWeek, weekday } from '../market/calendar.js';
import type { IsoDate } from '../market/types.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const editionIdSchema = z.string().regex(/^\d{4}-W\d{2}(-(mon|tue|wed|thu|fri))?(-\d{1,3})?$/, 'must be an edition id such as 2026-W47');

/** The edition id of the week (or the week so far) that closes on `asOf`. */
export function editionIdFor(asOf: IsoDate): string {
  const week = isoWeekId(asOf);
  return lastSessionOfWeek(asOf) === asOf ? week : `${week}-${DAYS[weekday(asOf)]}`;
}
