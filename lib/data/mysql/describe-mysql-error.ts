import { DataProblem, isDataProblem, type DataProblemKind } from "../data-problem";

// A mysql2 or server error as a DataProblem in plain words. mysql2 puts a code (ER_…, or a Node
// socket code like ECONNREFUSED) and the server's errno on its errors; the server's own message is
// kept after ours, with anything that looks like a password taken out.

const UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
  "ER_QUERY_INTERRUPTED",
  "ER_CON_COUNT_ERROR",
  "ER_TOO_MANY_USER_CONNECTIONS",
  "ER_NET_READ_ERROR",
  "ER_NET_READ_INTERRUPTED",
  "ER_NET_ERROR_ON_WRITE",
  "ER_NET_WRITE_INTERRUPTED",
  "ER_STATEMENT_TIMEOUT",
  "ER_QUERY_TIMEOUT",
  "ER_CLIENT_INTERACTION_TIMEOUT",
]);
const REFUSED = new Set([
  "ER_ACCESS_DENIED_ERROR",
  "ER_DBACCESS_DENIED_ERROR",
  "ER_TABLEACCESS_DENIED_ERROR",
  "ER_COLUMNACCESS_DENIED_ERROR",
  "ER_SPECIFIC_ACCESS_DENIED_ERROR",
  "ER_PROCACCESS_DENIED_ERROR",
  "ER_ACCESS_DENIED_NO_PASSWORD_ERROR",
  "ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION",
  "ER_OPTION_PREVENTS_STATEMENT",
  "HANDSHAKE_SSL_ERROR",
]);
const NOT_FOUND = new Set(["ER_BAD_DB_ERROR", "ER_NO_SUCH_TABLE", "ER_BAD_TABLE_ERROR", "ER_SP_DOES_NOT_EXIST", "ENOTFOUND"]);

interface MysqlishError {
  code?: string;
  errno?: number;
  message?: string;
  sqlMessage?: string;
  fatal?: boolean;
}

export function mysqlErrorKind(error: unknown): DataProblemKind {
  if (isDataProblem(error)) return error.kind;
  const code = (error as MysqlishError | null)?.code ?? "";
  // MariaDB's own errnos that mysql2 has no name for: 1927 connection killed, 1969 max_statement_time.
  if (UNAVAILABLE.has(code) || [1927, 1969].includes((error as MysqlishError | null)?.errno ?? 0)) return "unavailable";
  if (REFUSED.has(code)) return "refused";
  if (NOT_FOUND.has(code)) return "not-found";
  // A connection that died without a server code (socket closed, "Can't add new command when connection is in closed state").
  if ((error as MysqlishError | null)?.fatal) return "unavailable";
  if (/closed state|connection lost|socket hang up|timed? ?out/i.test((error as MysqlishError | null)?.message ?? "")) return "unavailable";
  return "invalid";
}

/** Whether retrying the same statement (on a live connection) may succeed. */
export function isTransientMysqlError(error: unknown): boolean {
  return mysqlErrorKind(error) === "unavailable";
}

/**
 * `error` as a DataProblem; `what` names where it happened ("table orders", "the target") and is
 * put in front of the plain-words reason.
 */
export function describeMysqlError(error: unknown, what?: string): DataProblem {
  if (isDataProblem(error)) return what && !error.message.startsWith(what) ? new DataProblem(error.kind, `${what}: ${error.message}`, { cause: error }) : error;
  const e = (error ?? {}) as MysqlishError;
  const kind = mysqlErrorKind(error);
  const detail = redact(e.sqlMessage ?? e.message ?? String(error));
  const words = plainWords(e.code ?? (e.errno === 1927 ? "ER_CONNECTION_KILLED" : ""), kind);
  const message = [what, words ? `${words} (${detail})` : detail].filter(Boolean).join(": ");
  return new DataProblem(kind, message, { cause: error });
}

function plainWords(code: string, kind: DataProblemKind): string {
  switch (code) {
    case "ECONNREFUSED":
      return "the server refused the connection (is it running, and is the port right?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "ETIMEDOUT":
    case "PROTOCOL_SEQUENCE_TIMEOUT":
      return "the server did not answer in time";
    case "ECONNRESET":
    case "EPIPE":
    case "PROTOCOL_CONNECTION_LOST":
      return "the connection was lost";
    case "ER_CONNECTION_KILLED":
    case "ER_QUERY_INTERRUPTED":
      return "the connection or its query was killed on the server";
    case "ER_ACCESS_DENIED_ERROR":
    case "ER_ACCESS_DENIED_NO_PASSWORD_ERROR":
      return "access denied: the user name or password is wrong, or the user may not connect from here";
    case "ER_DBACCESS_DENIED_ERROR":
      return "access denied to the database";
    case "ER_TABLEACCESS_DENIED_ERROR":
    case "ER_COLUMNACCESS_DENIED_ERROR":
    case "ER_SPECIFIC_ACCESS_DENIED_ERROR":
    case "ER_PROCACCESS_DENIED_ERROR":
      return "a grant is missing";
    case "ER_BAD_DB_ERROR":
      return "the database does not exist";
    case "ER_NO_SUCH_TABLE":
    case "ER_BAD_TABLE_ERROR":
      return "the table does not exist";
    case "ER_LOCK_DEADLOCK":
    case "ER_LOCK_WAIT_TIMEOUT":
      return "a lock could not be taken in time";
    case "ER_SERVER_SHUTDOWN":
      return "the server is shutting down";
    case "ER_CON_COUNT_ERROR":
    case "ER_TOO_MANY_USER_CONNECTIONS":
      return "the server has too many connections";
    default:
      return kind === "unavailable" ? "the server is unavailable" : "";
  }
}

/** Takes out `IDENTIFIED BY '…'` and `password=…` fragments that a server message may echo. */
function redact(text: string): string {
  return text.replace(/(IDENTIFIED\s+(?:BY|WITH\s+\S+\s+(?:BY|AS))\s+)'(?:[^'\\]|\\.)*'/gi, "$1'***'").replace(/(password\s*[=:]\s*)\S+/gi, "$1***");
}
