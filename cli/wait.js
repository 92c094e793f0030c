// @ts-check
import { CliError, EXIT } from "./exit-codes.js";
import { followEventStream } from "./event-stream.js";
import { STATUS_LABELS } from "../lib/environments/status-labels.js";

// `--wait`: listen to the server's change stream for the environment, never poll. The stream
// says that something changed (and the status); the environment itself is read once when the
// stream is (re)connected — which covers whatever changed while it was down, as the server
// sends no ids to resume from — and again after each change. A verdict comes from the
// environment as read, so the reason and the clean-up steps are in the message.

/**
 * @typedef {import("../lib/environments/get-environment-or-throw").EnvironmentDetail} Environment
 * @typedef {import("../lib/data/environment-data").EnvironmentData} EnvironmentData
 * @typedef {import("../lib/data/data-copy-dto").DataCopyDto} DataCopy
 * @typedef {"ready" | "sleeping" | "destroyed"} Target
 * @typedef {{ done: true } | { done: false, failed?: string }} Verdict
 */

/**
 * @param {string} status
 */
export function statusLabel(status) {
  return /** @type {Record<string, string>} */ (STATUS_LABELS)[status] ?? status;
}

/**
 * Whether the environment has become what was waited for, has failed on the way, or neither yet.
 * Degraded is waited through: it recovers by itself (a pod restarting), or the timeout says so.
 * @param {Pick<Environment, "name" | "status" | "statusReason"> & { cleanup?: { title: string, status: string, error: string | null }[] }} env
 * @param {Target} target
 * @returns {Verdict}
 */
export function judge(env, target) {
  const reason = env.statusReason ? `: ${env.statusReason}` : ".";
  if (env.status === target) return { done: true };
  if (target === "destroyed") {
    const stuck = env.cleanup?.find((step) => step.status === "failed");
    if (stuck) return { done: false, failed: `The destroy of ${env.name} stopped at “${stuck.title}”${stuck.error ? `: ${stuck.error}` : "."} Retry with corral env retry ${env.name}.` };
    return { done: false };
  }
  if (env.status === "failed") return { done: false, failed: `${env.name} failed${reason}` };
  if (env.status === "destroying" || env.status === "destroyed") return { done: false, failed: `${env.name} is ${statusLabel(env.status)}, so it will not become ${statusLabel(target)}.` };
  return { done: false };
}

/**
 * Waits until the environment is `target`; resolves with it as last read.
 * @param {import("./api-client.js").ApiClient} client
 * @param {string} id
 * @param {Target} target
 * @param {{ timeoutSeconds: number, onStatus?: (env: Environment) => void, onNotice?: (message: string) => void }} options
 * @returns {Promise<Environment>}
 */
export async function waitForEnvironment(client, id, target, { timeoutSeconds, onStatus, onNotice }) {
  /** @type {Environment | null} */
  let last = null;
  const { signal, done } = deadline(timeoutSeconds, () => {
    const where = last ? `${last.name} is ${statusLabel(last.status)}${last.statusReason ? ` (${last.statusReason})` : ""}` : "the environment was not read";
    return `Timed out after ${timeoutSeconds} s waiting for ${statusLabel(target)}: ${where}.`;
  });
  /** @returns {Promise<"end" | void>} */
  const check = async () => {
    const env = /** @type {Environment} */ (await client.get(`/api/v1/environments/${encodeURIComponent(id)}`, { signal }));
    if (!last || last.status !== env.status || last.statusReason !== env.statusReason) onStatus?.(env);
    last = env;
    const verdict = judge(env, target);
    if (verdict.done) return "end";
    if (verdict.failed) throw new CliError(EXIT.failed, verdict.failed);
  };
  try {
    await followEventStream(client, "/api/v1/environments/changes", {
      query: { id },
      signal,
      // `: connected` comes once the server listens: read the environment then, not before,
      // so that no change falls between the read and the stream.
      onComment: (comment) => (comment === "connected" ? check() : undefined),
      onEvent: async (event) => {
        if (event.event === "unauthorized") throw new CliError(EXIT.notAllowed, "Corral ended the stream: the token may no longer read this environment.");
        if (event.event === "resync") return check();
        if (event.event !== "change") return;
        const change = parseChange(event.data);
        // A job's progress with the status unchanged says nothing about the status.
        if (change?.job && last && change.status === last.status) return;
        return check();
      },
      onInterrupted: onNotice,
    });
  } finally {
    done();
  }
  return /** @type {Environment} */ (/** @type {unknown} */ (last));
}

/**
 * Follows a data copy into the environment until it has succeeded; progress on each change.
 * @param {import("./api-client.js").ApiClient} client
 * @param {string} environmentId
 * @param {string} copyId
 * @param {{ timeoutSeconds: number, onProgress?: (copy: DataCopy) => void, onNotice?: (message: string) => void }} options
 * @returns {Promise<DataCopy>}
 */
export async function waitForCopy(client, environmentId, copyId, { timeoutSeconds, onProgress, onNotice }) {
  /** @type {DataCopy | null} */
  let last = null;
  const { signal, done } = deadline(timeoutSeconds, () => `Timed out after ${timeoutSeconds} s waiting for the copy: it is ${last?.status ?? "not read yet"}.`);
  const check = async () => {
    const data = /** @type {EnvironmentData} */ (await client.get(`/api/v1/environments/${encodeURIComponent(environmentId)}/data`, { signal }));
    const copy = data.copies.find((c) => c.id === copyId);
    if (!copy) throw new CliError(EXIT.notFound, "The copy is no longer listed for this environment.");
    last = copy;
    onProgress?.(copy);
    if (copy.status === "succeeded") return "end";
    if (copy.status === "failed") throw new CliError(EXIT.failed, `The copy failed: ${copy.error ?? "no reason given"}`);
    if (copy.status === "cancelled") throw new CliError(EXIT.failed, "The copy was cancelled.");
  };
  try {
    await followEventStream(client, "/api/v1/environments/changes", {
      query: { id: environmentId },
      signal,
      onComment: (comment) => (comment === "connected" ? check() : undefined),
      onEvent: async (event) => {
        if (event.event === "unauthorized") throw new CliError(EXIT.notAllowed, "Corral ended the stream: the token may no longer read this environment.");
        if (event.event === "resync") return check();
        if (event.event !== "change") return;
        const change = parseChange(event.data);
        if (change?.job && change.job.kind !== "data-copy") return;
        return check();
      },
      onInterrupted: onNotice,
    });
  } finally {
    done();
  }
  return /** @type {DataCopy} */ (/** @type {unknown} */ (last));
}

/**
 * @param {string} data
 * @returns {{ id: string, status: string, job?: { kind: string, status: string } } | null}
 */
export function parseChange(data) {
  try {
    const value = JSON.parse(data);
    if (typeof value?.id !== "string" || typeof value?.status !== "string") return null;
    const job = value.job && typeof value.job.kind === "string" && typeof value.job.status === "string" ? { kind: value.job.kind, status: value.job.status } : undefined;
    return { id: value.id, status: value.status, ...(job ? { job } : {}) };
  } catch {
    return null;
  }
}

/**
 * An abort signal that fires with a timed-out CliError after `seconds`.
 * @param {number} seconds
 * @param {() => string} message
 */
function deadline(seconds, message) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CliError(EXIT.timedOut, message())), seconds * 1000);
  return { signal: controller.signal, done: () => clearTimeout(timer) };
}
