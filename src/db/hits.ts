/** The reserved key of a hit-count window that holds the number of keys it counts. */
export const KEY_COUNT = '';
