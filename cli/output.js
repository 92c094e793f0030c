// @ts-check
import { safeLogText } from "../lib/logs/terminal-text.js";
import { statusLabel } from "./wait.js";

// What commands print: the API's answer as JSON (`--output json`, for scripts and jq), or a
// table for people. Data goes to stdout, everything else (progress, notices) to stderr, so
// `$(corral env url pr-42)` holds the URL and nothing more. Every value passes the same rule
// as log lines: nothing from the server can move a terminal's cursor or rewrite its title.

/**
 * @typedef {import("../lib/environments/get-environment-or-throw").EnvironmentDetail} EnvironmentDetail
 * @typedef {import("../lib/environments/environment-dto").EnvironmentDto} EnvironmentDto
 * @typedef {{ header: string, value: (row: any) => unknown }} Column
 */

/**
 * @param {unknown} value
 * @returns {string}
 */
export function cell(value) {
  if (value === null || value === undefined || value === "") return "-";
  if (typeof value === "object") return safeLogText(JSON.stringify(value));
  return safeLogText(String(value)).replace(/[\r\n\t]+/g, " ");
}

/**
 * Rows under a header, columns as wide as their widest value.
 * @param {any[]} rows
 * @param {Column[]} columns
 * @returns {string}
 */
export function table(rows, columns) {
  const cells = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => cell(c.value(row))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => visibleLength(r[i] ?? ""))));
  return cells.map((r) => r.map((v, i) => (i === r.length - 1 ? v : v + " ".repeat((widths[i] ?? 0) - visibleLength(v)))).join("  ").trimEnd()).join("\n");
}

/**
 * `key  value` lines for one object.
 * @param {[string, unknown][]} pairs
 * @returns {string}
 */
export function keyValues(pairs) {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join("\n");
}

/**
 * @param {EnvironmentDto | EnvironmentDetail} env
 */
export function primaryUrl(env) {
  return env.hostnames[0]?.url ?? null;
}

/**
 * @param {EnvironmentDetail} env
 * @returns {string}
 */
export function environmentText(env) {
  const head = keyValues([
    ["name", env.name],
    ["id", env.id],
    ["status", statusLabel(env.status)],
    ["reason", env.statusReason],
    ["owner", env.owner.email],
    ["template", env.template?.name],
    ["cluster", env.cluster?.name],
    ["url", primaryUrl(env)],
    ["expires", env.expiresAt],
    ["created", env.createdAt],
    ...(env.destroyedAt ? /** @type {[string, unknown][]} */ ([["destroyed", env.destroyedAt], ["why", env.destroyReason]]) : []),
  ]);
  const components = table(env.components, [
    { header: "COMPONENT", value: (c) => c.name },
    { header: "IMAGE", value: (c) => c.image },
    { header: "REPLICAS", value: (c) => (c.observed ? `${c.observed.ready ?? 0}/${c.replicas}` : c.replicas) },
    { header: "PREVIOUS", value: (c) => c.previousImage },
  ]);
  const hostnames = env.hostnames.length > 0 ? `\n\n${table(env.hostnames, [{ header: "URL", value: (h) => h.url }, { header: "STATE", value: (h) => (h.live ? "live" : h.status) }, { header: "COMPONENT", value: (h) => h.componentName }])}` : "";
  return `${head}\n\n${components}${hostnames}`;
}

/**
 * @param {EnvironmentDto[]} items
 * @returns {string}
 */
export function environmentsText(items) {
  if (items.length === 0) return "No environments.";
  return table(items, [
    { header: "NAME", value: (e) => e.name },
    { header: "STATUS", value: (e) => statusLabel(e.status) },
    { header: "OWNER", value: (e) => e.owner.email },
    { header: "TEMPLATE", value: (e) => e.template?.name },
    { header: "AGE", value: (e) => age(e.createdAt) },
    { header: "EXPIRES", value: (e) => (e.expiresAt ? `in ${age(new Date().toISOString(), e.expiresAt)}` : null) },
    { header: "URL", value: (e) => primaryUrl(e) },
  ]);
}

/**
 * How long from `from` to `to` (now), shortly: 45s, 12m, 3h, 4d.
 * @param {string} from
 * @param {string} [to]
 */
export function age(from, to) {
  const seconds = Math.max(0, Math.round(((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/**
 * The output a command chose: JSON as the API said it, or text.
 * @param {"json" | "table"} format
 * @param {unknown} data
 * @param {(data: any) => string} text
 */
export function emit(format, data, text) {
  process.stdout.write(format === "json" ? `${JSON.stringify(data, null, 2)}\n` : `${text(data)}\n`);
}

/**
 * One line on stderr: what is happening, never data.
 * @param {string} message
 */
export function notice(message) {
  process.stderr.write(`${safeLogText(message)}\n`);
}

// Colours take no columns.
/**
 * @param {string} text
 */
function visibleLength(text) {
  return text.replace(/\u001b\[[0-9;:]*m/g, "").length;
}
