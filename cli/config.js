// @ts-check
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { CliError, EXIT } from "./exit-codes.js";

// Where the CLI keeps the server and token `corral login` was given: one JSON file in the
// user's config directory, readable by its owner only (a token is as good as a password).
// Pipelines set CORRAL_URL and CORRAL_TOKEN instead, which win over the file.

/** @typedef {{ url?: string, token?: string }} StoredConfig */

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function configDir(env = process.env) {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || homedir(), ".config");
  return path.join(base, "corral");
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function configPath(env = process.env) {
  return path.join(configDir(env), "config.json");
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {StoredConfig}
 */
export function readConfig(env = process.env) {
  const file = configPath(env);
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== "object" || value === null) return {};
    return { url: typeof value.url === "string" ? value.url : undefined, token: typeof value.token === "string" ? value.token : undefined };
  } catch {
    throw new CliError(EXIT.badInput, `${file} is not valid JSON: run corral login again.`);
  }
}

/**
 * Writes the file whole, mode 600 from its first byte (a temporary file renamed over it), in a
 * directory only the user can enter.
 * @param {StoredConfig} config
 * @param {Record<string, string | undefined>} env
 */
export function writeConfig(config, env = process.env) {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = configPath(env);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // A umask or an older file cannot widen it: the mode is set again before it takes the name.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  return file;
}

/**
 * @param {Record<string, string | undefined>} env
 */
export function removeConfig(env = process.env) {
  rmSync(configPath(env), { force: true });
}

/**
 * Whether others than the owner may read the file (then it says so, and carries on).
 * @param {Record<string, string | undefined>} env
 * @returns {boolean}
 */
export function configIsExposed(env = process.env) {
  try {
    return (statSync(configPath(env)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

/**
 * The server and token to use: flags, then CORRAL_URL / CORRAL_TOKEN, then the file.
 * @param {{ url?: string }} flags
 * @param {Record<string, string | undefined>} env
 * @returns {{ url: string, token: string | null }}
 */
export function resolveCredentials(flags, env = process.env) {
  const stored = readConfig(env);
  const url = flags.url || env.CORRAL_URL || stored.url;
  if (!url) throw new CliError(EXIT.badInput, "No Corral server: run corral login --url https://corral.example.com, or set CORRAL_URL.");
  const token = env.CORRAL_TOKEN || (stored.url && sameServer(stored.url, url) ? stored.token : undefined) || null;
  return { url: normaliseUrl(url), token };
}

/**
 * The server's base URL, without a trailing slash; refuses what is not http(s).
 * @param {string} url
 * @returns {string}
 */
export function normaliseUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(EXIT.badInput, `“${url}” is not a URL: give Corral's address, such as https://corral.example.com.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new CliError(EXIT.badInput, `“${url}” is not an http(s) URL.`);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

/**
 * A stored token belongs to the server it was stored with, never sent to another one.
 * @param {string} a
 * @param {string} b
 */
function sameServer(a, b) {
  try {
    return normaliseUrl(a) === normaliseUrl(b);
  } catch {
    return false;
  }
}
