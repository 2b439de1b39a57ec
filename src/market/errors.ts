/** Market data that cannot be had or trusted, or a date outside what the calendar knows: the user's to fix. */
import { InputError } from '../errors.js';
export class MarketDataError extends InputError {
  override name = 'MarketDataError';
}
