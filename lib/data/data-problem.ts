// Why a data store could not do what Corral asked, in words a person can act on, and whether it
// passes by itself. "unavailable" (a dropped connection, a timeout, a server starting) is worth
// another try; the others are refusals that no retry can help.

export type DataProblemKind =
  /** Connection refused/reset/timed out, server going away, 5xx, throttled: retry later. */
  | "unavailable"
  /** Access denied, missing grant, bad credentials. */
  | "refused"
  /** Unknown host, database, bucket or table. */
  | "not-found"
  /** What was asked cannot be done: bad row filter, a store in the wrong shape, a verification mismatch. */
  | "invalid";

export class DataProblem extends Error {
  constructor(
    readonly kind: DataProblemKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DataProblem";
  }
}

export function isDataProblem(error: unknown, kind?: DataProblemKind): error is DataProblem {
  return error instanceof DataProblem && (kind === undefined || error.kind === kind);
}
