// @ts-check
// The CLI's exit codes: one per kind of outcome a pipeline branches on, so a script can tell
// "not there" from "not mine" from "not now" without reading the message. README lists them.

export const EXIT = /** @type {const} */ ({
  ok: 0,
  /** Something the CLI did not expect: a bug, or an answer it does not understand. */
  unexpected: 1,
  /** Bad input: a wrong option or argument, or a 400/413 from the API (the fields are named). */
  badInput: 2,
  /** Not allowed: 401 (no or a revoked token) or 403 (the role, a token's scope, not the owner). */
  notAllowed: 3,
  notFound: 4,
  /** 409: a duplicate, or an action the current status does not allow (the status is named). */
  conflict: 5,
  /** `--timeout` passed before what was waited for happened. */
  timedOut: 6,
  /** What was waited for ended badly: the environment Failed, a destroy or a copy stopped. */
  failed: 7,
  /** Corral could not be reached or answered 5xx (or 429/503 after every retry). */
  unavailable: 8,
});

/** @typedef {(typeof EXIT)[keyof typeof EXIT]} ExitCode */

/** An error the CLI reports in one line and ends with its exit code. */
export class CliError extends Error {
  /**
   * @param {ExitCode} exitCode
   * @param {string} message
   * @param {{ status?: number, code?: string, details?: unknown }} [extra]
   */
  constructor(exitCode, message, extra = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
    this.status = extra.status;
    this.code = extra.code;
    this.details = extra.details;
  }
}

/**
 * The exit code for an HTTP status the API answered with (after retries).
 * @param {number} status
 * @returns {ExitCode}
 */
export function exitCodeForStatus(status) {
  if (status === 400 || status === 413 || status === 405 || status === 422) return EXIT.badInput;
  if (status === 401 || status === 403) return EXIT.notAllowed;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 429 || status >= 500) return EXIT.unavailable;
  return EXIT.unexpected;
}

/**
 * The exit code for anything thrown while a command ran.
 * @param {unknown} error
 * @returns {ExitCode}
 */
export function exitCodeFor(error) {
  if (error instanceof CliError) return error.exitCode;
  return EXIT.unexpected;
}
