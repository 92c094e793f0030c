// @ts-check
import { createInterface } from "node:readline/promises";
import { ApiClient } from "../api-client.js";
import { configIsExposed, configPath, normaliseUrl, readConfig, removeConfig, writeConfig } from "../config.js";
import { CliError, EXIT } from "../exit-codes.js";
import { emit, keyValues, notice } from "../output.js";

// login, logout, whoami. A token is checked against /api/v1/me before it is kept, so a typo
// fails here rather than in the pipeline's next step.

/**
 * @param {import("commander").Command} program
 * @param {import("../main.js").Context} context
 */
export function registerAuth(program, context) {
  program
    .command("login")
    .description("check an API token (made on Corral's API tokens page) and keep it, with --url, in the config directory (mode 600)")
    .option("--token <token>", "the token (default: CORRAL_TOKEN, or asked for)")
    .option("--token-stdin", "read the token from standard input")
    .action(
      context.action(
        async ({ opts, format, env }) => {
          const stored = readConfig(env);
          const given = opts.url || env.CORRAL_URL || stored.url;
          if (!given) throw new CliError(EXIT.badInput, "Give Corral's address: corral login --url https://corral.example.com.");
          const url = normaliseUrl(given);
          const token = opts.token || (opts.tokenStdin ? await readStdin() : env.CORRAL_TOKEN) || (process.stdin.isTTY ? await ask("API token: ") : "");
          if (!token) throw new CliError(EXIT.badInput, "Give a token: --token, --token-stdin or CORRAL_TOKEN.");
          const client = new ApiClient({ url, token, retries: opts.retries, onRetry: notice });
          const me = await client.get("/api/v1/me");
          const file = writeConfig({ url, token }, env);
          if (format === "json") emit(format, { url, ...me, config: file }, () => "");
          else notice(`Signed in to ${url} as ${me.name} <${me.email}> (${me.role}). Kept in ${file}.`);
        },
        { anonymous: true },
      ),
    );

  program
    .command("logout")
    .description("forget the stored token")
    .action(
      context.action(
        async ({ env }) => {
          removeConfig(env);
          notice(`Removed ${configPath(env)}.`);
        },
        { anonymous: true },
      ),
    );

  program
    .command("whoami")
    .description("who the token acts as, with the role and permissions")
    .action(
      context.action(async ({ client, format, env }) => {
        if (configIsExposed(env)) notice(`Warning: ${configPath(env)} can be read by others; chmod 600 it.`);
        const me = await client.get("/api/v1/me");
        emit(format, me, (m) => keyValues([["name", m.name], ["email", m.email], ["role", m.role], ["via", m.via], ["server", client.url], ["permissions", m.permissions.join(", ")]]));
      }),
    );
}

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.trim();
}

/**
 * @param {string} question
 */
async function ask(question) {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
