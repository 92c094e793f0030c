// @ts-check
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ApiClient } from "./api-client.js";
import { registerAdmin } from "./commands/admin.js";
import { registerAuth } from "./commands/auth.js";
import { registerData } from "./commands/data.js";
import { registerEnv } from "./commands/env.js";
import { resolveCredentials } from "./config.js";
import { CliError, EXIT, exitCodeFor } from "./exit-codes.js";
import { notice } from "./output.js";

// The `corral` command: one commander program, a subcommand per API action. Every action runs
// through `action()` below, which builds the API client from the global options and turns
// whatever was thrown into a one-line message and the exit code for its kind.

const VERSION = /** @type {{ version: string }} */ (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))).version;

/**
 * @typedef {{ output: "json" | "table", url?: string, retries: number }} GlobalOptions
 * @typedef {{ client: ApiClient, format: "json" | "table", opts: Record<string, any>, env: Record<string, string | undefined> }} Session
 * @typedef {(session: Session, ...args: string[]) => Promise<void>} Action
 * @typedef {{ env: Record<string, string | undefined>, action: (run: Action, options?: { anonymous?: boolean }) => (...args: any[]) => Promise<void> }} Context
 */

/**
 * @param {Record<string, string | undefined>} env
 * @returns {Command}
 */
export function buildProgram(env = process.env) {
  const program = new Command("corral")
    .description("Corral from a terminal or a pipeline: environments, their logs and data.\nExit codes: 0 ok, 2 bad input, 3 not allowed, 4 not found, 5 conflict, 6 timed out, 7 failed, 8 unavailable, 1 unexpected.")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--url <url>", "Corral's address (default: CORRAL_URL, then the one corral login stored)"))
    .addOption(new Option("-o, --output <format>", "json (the API's answer) or table").choices(["json", "table"]).default(env.CORRAL_OUTPUT === "json" ? "json" : "table"))
    .addOption(new Option("--retries <n>", "tries again this often on 429, 503 and dropped connections").argParser(count).default(5))
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false });

  /** @type {Context} */
  const context = {
    env,
    action:
      (run, { anonymous = false } = {}) =>
      async (...args) => {
        const command = /** @type {Command} */ (args.at(-1));
        const opts = command.optsWithGlobals();
        const positional = args.slice(0, -2).map(String);
        const credentials = anonymous ? { url: "", token: null } : resolveCredentials({ url: opts.url }, env);
        const client = new ApiClient({ url: credentials.url, token: credentials.token, retries: opts.retries, userAgent: `corral-cli/${VERSION}`, onRetry: notice });
        if (!anonymous && !credentials.token) notice("No token: run corral login, or set CORRAL_TOKEN.");
        await run({ client, format: opts.output, opts, env }, ...positional);
      },
  };
  registerAuth(program, context);
  registerEnv(program, context);
  registerData(program, context);
  registerAdmin(program, context);
  return program;
}

/**
 * Runs the CLI; resolves with the exit code.
 * @param {string[]} argv the arguments after the command's name
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<number>}
 */
export async function main(argv, env = process.env) {
  const program = buildProgram(env);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with 0; a wrong option or argument was already said by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    const code = exitCodeFor(error);
    if (error instanceof CliError) notice(`corral: ${error.message}`);
    else notice(`corral: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return code;
  }
}

/**
 * @param {string} value
 */
function count(value) {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("a whole number");
  return Number(value);
}
