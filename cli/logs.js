// @ts-check
import { safeLogText } from "../lib/logs/terminal-text.js";
import { CliError, EXIT } from "./exit-codes.js";
import { followEventStream } from "./event-stream.js";

// `corral env logs`: the log stream the portal's viewer reads (server-sent events of batches of
// [source, time, text], each event's id a cursor). A dropped connection is opened again with
// that cursor as Last-Event-ID, so the server carries on after the last line printed: no gap,
// no line twice.

/**
 * @typedef {object} LogOptions
 * @property {string} [component]
 * @property {string} [pod]
 * @property {string} [container]
 * @property {boolean} follow
 * @property {number} [tail]
 * @property {string} [since]
 * @property {boolean} [previous]
 * @property {boolean} [timestamps]
 * @property {boolean} [json] one JSON object a line instead of text
 * @property {AbortSignal} [signal]
 * @property {(line: string) => void} [write]
 * @property {(message: string) => void} [onNotice]
 */

/**
 * Prints the logs; resolves when the server ends the stream (every source ended, or not
 * following) or the signal aborts.
 * @param {import("./api-client.js").ApiClient} client
 * @param {string} environmentId
 * @param {LogOptions} options
 */
export async function printLogs(client, environmentId, options) {
  const write = options.write ?? ((line) => process.stdout.write(line));
  /** @type {string[]} */
  let sources = [];
  try {
    await followEventStream(client, `/api/v1/environments/${encodeURIComponent(environmentId)}/logs`, {
      query: {
        component: options.component,
        pod: options.pod,
        container: options.container,
        tailLines: options.tail,
        since: options.since,
        previous: options.previous ? "true" : undefined,
        follow: options.follow ? undefined : "false",
      },
      signal: options.signal,
      onInterrupted: options.onNotice,
      onEvent: (event) => {
        const data = parse(event.data);
        if (event.event === "sources") sources = Array.isArray(data?.sources) ? data.sources.map(String) : sources;
        else if (event.event === "problem") options.onNotice?.(`${data?.source ?? "logs"}: ${data?.message ?? "cannot be read"}`);
        else if (event.event === "lines" && Array.isArray(data?.lines)) write(formatLines(data.lines, { tagged: sources.length > 1, timestamps: options.timestamps, json: options.json }));
        else if (event.event === "end") {
          if (data?.reason === "unauthorized") throw new CliError(EXIT.notAllowed, "Corral ended the stream: the token may no longer read this environment.");
          return "end";
        }
      },
    });
  } catch (error) {
    if (options.signal?.aborted && !(options.signal.reason instanceof CliError)) return;
    throw error;
  }
}

/**
 * @param {unknown[]} lines [source, time, text] each
 * @param {{ tagged: boolean, timestamps?: boolean, json?: boolean }} how
 * @returns {string}
 */
export function formatLines(lines, how) {
  let out = "";
  for (const line of lines) {
    if (!Array.isArray(line)) continue;
    const [source, time, text] = line.map((v) => String(v ?? ""));
    if (how.json) {
      out += `${JSON.stringify({ source, time, text })}\n`;
      continue;
    }
    out += `${how.timestamps ? `${time} ` : ""}${how.tagged ? `[${safeLogText(source ?? "")}] ` : ""}${safeLogText(text ?? "")}\n`;
  }
  return out;
}

/**
 * @param {string} data
 * @returns {any}
 */
function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
