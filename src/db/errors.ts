import { InputError } from '../errors.js';

/** The database cannot be opened or used as it is: a damaged file, a server that cannot be reached, a bad DATABASE_URL. */
export class DatabaseError extends InputError {
  override name = 'DatabaseError';
}
