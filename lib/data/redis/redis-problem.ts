import { DataProblem, isDataProblem } from "../data-problem";

// Redis's errors in plain words. A dropped or refused connection, a timeout or a server that is
// loading, busy with a script or failing over passes by itself ("unavailable"); bad credentials
// and missing ACL permissions do not ("refused"). The ioredis error is never kept as the cause:
// it carries the command's arguments, which for AUTH and ACL SETUSER include a password.

const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ECONNABORTED"]);
const TRANSIENT_REPLIES = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY"];
const TRANSIENT_MESSAGES = [
  "Connection is closed",
  "Stream isn't writeable",
  "Command timed out",
  "connect ETIMEDOUT",
  "Reached the max retries per request limit",
  "socket hang up",
];

/** What a Redis failure means; `what` names the server, key or step ("copying key \"a\"", "Redis at h:6379"). */
export function describeRedisError(error: unknown, what?: string): DataProblem {
  if (isDataProblem(error)) return error;
  const message = errorMessage(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const at = what ? `${what}: ` : "";
  const cause = { cause: new Error(message) };
  const word = message.split(/\s/, 1)[0] ?? "";

  if (word === "WRONGPASS" || word === "NOAUTH" || /invalid password|invalid username-password/i.test(message)) {
    return new DataProblem("refused", `${at}Redis refused the user name or password (${message})`, cause);
  }
  if (word === "NOPERM") {
    const command = /(?:run the '|command ')([^']+)'/.exec(message)?.[1];
    const detail = command ? `the user may not run ${command.toUpperCase()}` : "the user lacks a permission";
    return new DataProblem("refused", `${at}Redis refused: ${detail} (${message})`, cause);
  }
  if (code === "ENOTFOUND") return new DataProblem("not-found", `${at}no such host (${message})`, cause);
  if ((code && TRANSIENT_CODES.has(code)) || TRANSIENT_REPLIES.includes(word) || TRANSIENT_MESSAGES.some((m) => message.includes(m))) {
    return new DataProblem("unavailable", `${at}Redis is unavailable for now (${message})`, cause);
  }
  if (/DB index is out of range|invalid DB index/i.test(message)) {
    return new DataProblem("not-found", `${at}the Redis server has no such logical database (${message})`, cause);
  }
  if (/unknown command/i.test(message) && /'ACL'|ACL/.test(message)) {
    return new DataProblem("refused", `${at}this Redis server has no ACLs (Redis 6 or newer is needed) (${message})`, cause);
  }
  return new DataProblem("invalid", `${at}${message}`, cause);
}

export function isTransientRedisError(error: unknown): boolean {
  return describeRedisError(error).kind === "unavailable";
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
