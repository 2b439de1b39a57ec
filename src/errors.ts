/**
 * One error model. An error a user can act on extends UserError and carries its exit code: 2 for input
 * to fix (config, an address, a date, a template), 3 for a send refused on purpose (already sent, demo
 * data over SMTP); anything else is a bug or a delivery failure and exits 1 with its stack.
 */
export const EXIT = { ok: 0, failed: 1, input: 2, refused: 3, interrupted: 130 } as const;

export abstract class UserError extends Error {
  abstract readonly exitCode: number;
}

/** Input the user can fix: one line saying what to do, exit 2. */
export class InputError extends UserError {
  readonly exitCode: number = EXIT.input;
}

/** A send refused on purpose, exit 3. */
export class RefusedError extends UserError {
  readonly exitCode: number = EXIT.refused;
}

/** The one-line message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An error that crossed a process boundary (the edition build runs in its own process): same message, same code. */
export class RemoteError extends UserError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
