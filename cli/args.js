// @ts-check
import { readFileSync } from "node:fs";
import { CliError, EXIT } from "./exit-codes.js";

// Turning what was typed into what the API takes. The API checks every field again and names
// the one that is wrong; these only refuse what cannot be sent at all, with a message that
// names the option.

/**
 * `web=registry.example.com/shop/web:1.2.0`, optionally `,replicas=2,port=8080`.
 * @param {string} spec
 * @param {string} option the flag, for the message
 * @returns {{ name: string, image: string, replicas?: number, port?: number }}
 */
export function parseComponent(spec, option = "--component") {
  const [head = "", ...rest] = spec.split(",");
  const eq = head.indexOf("=");
  if (eq <= 0 || eq === head.length - 1) throw new CliError(EXIT.badInput, `${option} takes NAME=IMAGE, such as web=nginx:1.27.3 (got “${spec}”).`);
  /** @type {{ name: string, image: string, replicas?: number, port?: number }} */
  const component = { name: head.slice(0, eq).trim(), image: head.slice(eq + 1).trim() };
  for (const part of rest) {
    const [key, value = ""] = part.split("=");
    if (key === "replicas" || key === "port") component[key] = wholeNumber(value, `${option} ${key}`);
    else throw new CliError(EXIT.badInput, `${option}: “${key}” is not a setting; replicas=N and port=N are.`);
  }
  return component;
}

/**
 * A whole number of at least `min`.
 * @param {string} value
 * @param {string} what
 * @param {number} [min]
 * @returns {number}
 */
export function wholeNumber(value, what, min = 0) {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new CliError(EXIT.badInput, `${what} is a whole number${min > 0 ? ` from ${min}` : ""} (got “${value}”).`);
  return Number(value);
}

/**
 * A duration in seconds: `90`, `90s`, `15m`, `2h`.
 * @param {string} value
 * @param {string} [what]
 * @returns {number}
 */
export function parseDuration(value, what = "--timeout") {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(value.trim());
  const amount = match ? Number(match[1]) : NaN;
  if (!match || !(amount > 0)) throw new CliError(EXIT.badInput, `${what} is a duration such as 90, 90s, 15m or 1h (got “${value}”).`);
  return amount * { s: 1, m: 60, h: 3600 }[/** @type {"s" | "m" | "h"} */ (match[2] ?? "s")];
}

/**
 * `table=expression`, for a copy's row filters.
 * @param {string} spec
 * @returns {[string, string]}
 */
export function parseRowFilter(spec) {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new CliError(EXIT.badInput, `--where takes TABLE=EXPRESSION, such as orders=created_at > '2026-01-01' (got “${spec}”).`);
  return [spec.slice(0, eq).trim(), spec.slice(eq + 1).trim()];
}

/**
 * A JSON body from a file, or from standard input with `-`.
 * @param {string} file
 * @returns {unknown}
 */
export function readJsonFile(file) {
  let text;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new CliError(EXIT.badInput, `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(EXIT.badInput, `${file === "-" ? "Standard input" : file} is not valid JSON.`);
  }
}

/**
 * Repeatable options collect into a list.
 * @param {string} value
 * @param {string[]} [previous]
 */
export function collect(value, previous = []) {
  return [...previous, value];
}
