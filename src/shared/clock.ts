/** Clocks: the wall clock, or one that starts at a given time and runs on in real time from there. */

export const wallClock = (): Date => new Date();

/** Reads `start` now, then ticks: fixed dates with timeouts, retries and leases that still work. */
export function clockFrom(start: Date | string): () => Date {
  const offset = new Date(start).getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}
