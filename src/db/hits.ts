/** The reserved keys of a hit-count window: the number of keys it holds, and the key they share past the cap. */
export const KEY_COUNT = '';
export const OVERFLOW_KEY = '*';
