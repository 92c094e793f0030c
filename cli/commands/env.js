// @ts-check
import { Option } from "commander";
import { collect, parseComponent, parseDuration, readJsonFile, wholeNumber } from "../args.js";
import { CliError, EXIT } from "../exit-codes.js";
import { printLogs } from "../logs.js";
import { emit, environmentsText, environmentText, keyValues, notice, primaryUrl, table } from "../output.js";
import { environmentId } from "../resolve.js";
import { statusLabel, waitForEnvironment } from "../wait.js";

// `corral env …`: one subcommand per environment action of the API. Environments are named by
// name or id; `--wait` follows the change stream until the action's outcome (wait.js).

/**
 * @typedef {import("../main.js").Session} Session
 * @typedef {import("../wait.js").Target} Target
 */

const DEFAULT_TIMEOUT = "10m";

/**
 * @param {import("commander").Command} program
 * @param {import("../main.js").Context} context
 */
export function registerEnv(program, context) {
  const env = program.command("env").description("environments: create, change, follow and destroy them");
  const act = context.action;

  env
    .command("list")
    .description("live environments, newest first (destroyed ones with --status destroyed)")
    .option("--owner <email>", "only this owner's (me: yours)")
    .addOption(new Option("--status <status...>", "only these statuses").choices(["provisioning", "ready", "degraded", "updating", "sleeping", "failed", "destroying", "destroyed"]))
    .option("--name <text>", "names containing this")
    .option("--limit <n>", "at most this many", "50")
    .action(
      act(async ({ client, format, opts }) => {
        const page = await client.get("/api/v1/environments", { query: { owner: opts.owner, status: opts.status, q: opts.name, limit: wholeNumber(opts.limit, "--limit", 1) } });
        emit(format, page, (p) => environmentsText(p.items));
      }),
    );

  env
    .command("show <env>")
    .description("one environment: status and reason, URL, components and their versions")
    .action(act(async (s, ref) => show(s, await environmentId(s.client, ref))));

  env
    .command("url <env>")
    .description("the environment's URL, alone on a line (for URL=$(corral env url pr-42))")
    .action(
      act(async ({ client, format }, ref) => {
        const detail = await client.get(`/api/v1/environments/${await environmentId(client, ref)}`);
        const url = primaryUrl(detail);
        if (!url) throw new CliError(EXIT.notFound, `${detail.name} has no public component, so no URL.`);
        emit(format, { url, hostnames: detail.hostnames }, () => url);
      }),
    );

  withWait(
    env
      .command("create <name>")
      .description("create an environment from a template, a clone or a list of components")
      .option("-t, --template <template>", "the template (name or id)")
      .option("--clone-from <env>", "copy another environment's components and versions")
      .option("--cluster <cluster>", "the cluster (default: the default one)")
      .option("-c, --component <NAME=IMAGE>", "a component's version (repeatable); ,replicas=N ,port=N", collect)
      .option("--extra <NAME=IMAGE>", "a component beside the template's (repeatable)", collect)
      .option("--ttl <hours>", "hours until it expires")
      .option("-f, --file <file>", "the whole request body as JSON (- for stdin); options override it")
      .option("--if-not-exists", "an environment of that name already live is success, not a conflict"),
  ).action(
    act(async (s, name) => {
      const { client, opts } = s;
      const body = /** @type {Record<string, unknown>} */ ({ ...(opts.file ? asObject(readJsonFile(opts.file)) : {}), name });
      if (opts.template) body.template = opts.template;
      if (opts.cloneFrom) body.cloneFrom = opts.cloneFrom;
      if (opts.cluster) body.cluster = opts.cluster;
      if (opts.component) body.components = opts.component.map((/** @type {string} */ c) => parseComponent(c));
      if (opts.extra) body.extraComponents = opts.extra.map((/** @type {string} */ c) => parseComponent(c, "--extra"));
      if (opts.ttl) body.ttlHours = wholeNumber(opts.ttl, "--ttl", 1);
      let created;
      try {
        // Sent twice (a dropped answer), the second is a 409 that --if-not-exists accepts.
        created = await client.json("POST", "/api/v1/environments", { body, idempotent: Boolean(opts.ifNotExists) });
      } catch (error) {
        if (!(opts.ifNotExists && error instanceof CliError && error.status === 409)) throw error;
        const page = await client.get("/api/v1/environments", { query: { q: name, limit: 200 } });
        created = page.items.find((/** @type {{ name: string }} */ e) => e.name === name);
        if (!created) throw error;
        notice(`${name} exists already (${statusLabel(created.status)}).`);
      }
      await finish(s, created.id, "ready", `Creating ${name}`);
    }),
  );

  withWait(
    env
      .command("destroy <env>")
      .description("destroy it: its namespace, hostnames and data stores go; the record stays")
      .option("--reason <text>", "why, for its page")
      .option("--if-exists", "one that does not exist (or is destroyed already) is success"),
  ).action(
    act(async (s, ref) => {
      const { client, opts } = s;
      let id;
      try {
        id = await environmentId(client, ref);
      } catch (error) {
        if (opts.ifExists && error instanceof CliError && error.exitCode === EXIT.notFound) return notice(`${ref} does not exist.`);
        throw error;
      }
      try {
        await client.json("DELETE", `/api/v1/environments/${id}`, { query: { reason: opts.reason } });
      } catch (error) {
        // Destroyed already: a 409 naming the status.
        const current = opts.ifExists && error instanceof CliError && error.status === 409 ? await client.get(`/api/v1/environments/${id}`) : null;
        if (current?.status !== "destroyed") throw error;
      }
      await finish(s, id, "destroyed", `Destroying ${ref}`);
    }),
  );

  withWait(env.command("set-version <env> <component> <image>").description("pin one component to another image; rolls out in the background")).action(
    act(async (s, ref, component, image) => {
      const id = await environmentId(s.client, ref);
      await s.client.json("PATCH", `/api/v1/environments/${id}/components/${encodeURIComponent(component)}`, { body: { image } });
      await finish(s, id, "ready", `Moving ${component} of ${ref} to ${image}`);
    }),
  );

  simpleAction(env, act, "rollback", "put every changed component back on its previous image", "POST", "rollback", "ready");
  simpleAction(env, act, "upgrade", "move every component to its template's current version", "POST", "upgrade", "ready");
  simpleAction(env, act, "retry", "apply the desired state again after a failure (or a stuck destroy)", "POST", "retry", null);
  simpleAction(env, act, "wake", "wake a sleeping environment", "POST", "wake", "ready");
  simpleAction(env, act, "sleep", "put it to sleep: its pods stop, everything else stays", "POST", "sleep", "sleeping");

  env
    .command("extend <env>")
    .description("push its expiry back")
    .requiredOption("--hours <n>", "hours from now")
    .action(
      act(async (s, ref) => {
        const id = await environmentId(s.client, ref);
        const result = await s.client.json("POST", `/api/v1/environments/${id}/extend`, { body: { hours: wholeNumber(s.opts.hours, "--hours", 1) } });
        emit(s.format, result, (e) => `${e.name} now expires at ${e.expiresAt}.`);
      }),
    );

  env
    .command("pin <env>")
    .description("keep it from expiring and from bulk tear-down (leads)")
    .action(act(async (s, ref) => pin(s, ref, "POST")));
  env
    .command("unpin <env>")
    .description("let it expire again (leads)")
    .action(act(async (s, ref) => pin(s, ref, "DELETE")));

  withWait(env.command("restart <env> <component>").description("replace every pod of a component")).action(
    act(async (s, ref, component) => {
      const id = await environmentId(s.client, ref);
      await s.client.json("POST", `/api/v1/environments/${id}/components/${encodeURIComponent(component)}/restart`);
      await finish(s, id, "ready", `Restarting ${component} of ${ref}`);
    }),
  );

  withWait(env.command("scale <env> <component> <replicas>").description("run a component with another number of replicas")).action(
    act(async (s, ref, component, replicas) => {
      const id = await environmentId(s.client, ref);
      await s.client.json("PUT", `/api/v1/environments/${id}/components/${encodeURIComponent(component)}/replicas`, { body: { replicas: wholeNumber(replicas, "replicas") } });
      await finish(s, id, "ready", `Scaling ${component} of ${ref} to ${replicas}`);
    }),
  );

  env
    .command("hand-over <env> <email>")
    .description("give it to another person who has signed in")
    .action(
      act(async (s, ref, email) => {
        const id = await environmentId(s.client, ref);
        const result = await s.client.json("PUT", `/api/v1/environments/${id}/owner`, { body: { owner: email } });
        emit(s.format, result, (e) => `${e.name} now belongs to ${e.owner?.email ?? email}.`);
      }),
    );

  env
    .command("wait <env>")
    .description("wait (listening, not polling) until it is Ready, Sleeping or Destroyed")
    .addOption(new Option("--for <status>", "what to wait for").choices(["ready", "sleeping", "destroyed"]).default("ready"))
    .option("--timeout <duration>", "give up after this long (90, 90s, 15m, 1h)", DEFAULT_TIMEOUT)
    .action(act(async (s, ref) => finish({ ...s, opts: { ...s.opts, wait: true } }, await environmentId(s.client, ref), s.opts.for, `Waiting for ${ref}`)));

  env
    .command("logs <env>")
    .description("a component's or a pod's logs; -f follows them (a dropped connection resumes after the last line)")
    .option("-c, --component <component>", "every pod of this component, merged")
    .option("--pod <pod>", "one pod")
    .option("--container <container>", "one container of the pod")
    .option("-f, --follow", "keep following until the pods end (or Ctrl-C)")
    .option("--tail <n>", "start with the last N lines", "500")
    .option("--since <time>", "start at this time (RFC 3339) instead")
    .option("--previous", "the previous container's (after a crash)")
    .option("--timestamps", "each line with its time")
    .action(
      act(async ({ client, format, opts }, ref) => {
        if (!opts.component && !opts.pod) throw new CliError(EXIT.badInput, "Name a --component or a --pod.");
        const id = await environmentId(client, ref);
        const stop = new AbortController();
        // Ctrl-C (or a pipeline's kill) ends a follow as asked: not an error.
        const onSignal = () => stop.abort();
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        try {
          await printLogs(client, id, {
            component: opts.component,
            pod: opts.pod,
            container: opts.container,
            follow: Boolean(opts.follow),
            tail: opts.since ? undefined : wholeNumber(opts.tail, "--tail"),
            since: opts.since,
            previous: opts.previous,
            timestamps: opts.timestamps,
            json: format === "json",
            signal: stop.signal,
            onNotice: notice,
          });
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
        }
      }),
    );

  env
    .command("vars <env> <component>")
    .description("a component's environment variables as the cluster has them (Secrets' values hidden)")
    .action(
      act(async ({ client, format }, ref, component) => {
        const id = await environmentId(client, ref);
        const result = await client.get(`/api/v1/environments/${id}/components/${encodeURIComponent(component)}/env`);
        emit(format, result, (r) => JSON.stringify(r, null, 2));
      }),
    );

  env
    .command("events <env>")
    .description("the latest Kubernetes events in its namespace")
    .action(
      act(async ({ client, format }, ref) => {
        const result = await client.get(`/api/v1/environments/${await environmentId(client, ref)}/kube-events`);
        const items = Array.isArray(result) ? result : (result?.items ?? []);
        emit(format, result, () => table(items, [{ header: "LAST SEEN", value: (e) => e.lastSeen ?? e.lastTimestamp }, { header: "TYPE", value: (e) => e.type }, { header: "REASON", value: (e) => e.reason }, { header: "OBJECT", value: (e) => e.object ?? e.involvedObject }, { header: "COUNT", value: (e) => e.count }, { header: "MESSAGE", value: (e) => e.message }]));
      }),
    );

  env
    .command("history <env>")
    .description("what changed and why, newest first")
    .action(
      act(async ({ client, format }, ref) => {
        const detail = await client.get(`/api/v1/environments/${await environmentId(client, ref)}`);
        emit(format, detail.history, (h) => table(h, [{ header: "WHEN", value: (e) => e.createdAt }, { header: "FROM", value: (e) => e.fromStatus && statusLabel(e.fromStatus) }, { header: "TO", value: (e) => e.toStatus && statusLabel(e.toStatus) }, { header: "WHAT", value: (e) => e.message }]));
      }),
    );

  env
    .command("jobs <env>")
    .description("its background jobs, newest first, with progress")
    .action(
      act(async ({ client, format }, ref) => {
        const detail = await client.get(`/api/v1/environments/${await environmentId(client, ref)}`);
        emit(format, detail.jobs, (jobs) => table(jobs, [{ header: "ID", value: (j) => j.id }, { header: "JOB", value: (j) => j.title }, { header: "STATUS", value: (j) => j.status }, { header: "PROGRESS", value: (j) => (j.progress?.fraction !== undefined ? `${Math.round(j.progress.fraction * 100)}%` : j.progress?.message) }, { header: "STARTED", value: (j) => j.startedAt }, { header: "ERROR", value: (j) => j.error }]));
      }),
    );

  env
    .command("cancel-job <env> <job>")
    .description("stop one of its queued or running jobs")
    .action(
      act(async ({ client, format }, ref, job) => {
        const result = await client.json("POST", `/api/v1/environments/${await environmentId(client, ref)}/jobs/${encodeURIComponent(job)}/cancel`);
        emit(format, result, () => `Asked job ${job} to stop.`);
      }),
    );

  const hostname = env.command("hostname").description("hostnames under the environment's own name");
  hostname
    .command("add <env> <fqdn>")
    .description("add a hostname routed to a public component")
    .requiredOption("--component <component>", "the component it routes to")
    .action(
      act(async ({ client, format, opts }, ref, fqdn) => {
        const result = await client.json("POST", `/api/v1/environments/${await environmentId(client, ref)}/hostnames`, { body: { fqdn, component: opts.component } });
        emit(format, result, () => `Added ${fqdn}; its record follows in the background.`);
      }),
    );
  hostname
    .command("remove <env> <hostname>")
    .description("remove a hostname someone added (by name or id)")
    .action(
      act(async ({ client, format }, ref, name) => {
        const id = await environmentId(client, ref);
        const detail = await client.get(`/api/v1/environments/${id}`);
        const match = detail.hostnames.find((/** @type {{ id: string, fqdn: string }} */ h) => h.id === name || h.fqdn === name.replace(/\.$/, "").toLowerCase());
        if (!match) throw new CliError(EXIT.notFound, `${detail.name} has no hostname ${name}.`);
        const result = await client.json("DELETE", `/api/v1/environments/${id}/hostnames/${match.id}`);
        emit(format, result, () => `Removing ${match.fqdn}.`);
      }),
    );
}

/**
 * A `POST /environments/:id/<path>` action with an optional --wait for `target` (null: Ready,
 * or Destroyed when it was being destroyed, as a retry can be either).
 * @param {import("commander").Command} env
 * @param {import("../main.js").Context["action"]} act
 * @param {string} name
 * @param {string} description
 * @param {string} method
 * @param {string} path
 * @param {Target | null} target
 */
function simpleAction(env, act, name, description, method, path, target) {
  withWait(env.command(`${name} <env>`).description(description)).action(
    act(async (s, ref) => {
      const id = await environmentId(s.client, ref);
      const result = await s.client.json(method, `/api/v1/environments/${id}/${path}`);
      const goal = target ?? (result?.status === "destroying" ? "destroyed" : "ready");
      await finish(s, id, goal, `${name[0]?.toUpperCase()}${name.slice(1)} of ${ref}`);
    }),
  );
}

/**
 * @param {import("commander").Command} command
 */
function withWait(command) {
  return command.option("-w, --wait", "wait for the outcome, following the change stream").option("--timeout <duration>", "with --wait: give up after this long (90, 90s, 15m, 1h)", DEFAULT_TIMEOUT);
}

/**
 * After an action: with --wait, follow it to `target` and print the environment then; without,
 * print the environment as it is now.
 * @param {Session} s
 * @param {string} id
 * @param {Target} target
 * @param {string} doing
 */
async function finish(s, id, target, doing) {
  if (!s.opts.wait) return show(s, id);
  const timeoutSeconds = parseDuration(s.opts.timeout);
  notice(`${doing}: waiting up to ${/^\d+(\.\d+)?$/.test(s.opts.timeout) ? `${s.opts.timeout} s` : s.opts.timeout} for ${statusLabel(target)}…`);
  const env = await waitForEnvironment(s.client, id, target, {
    timeoutSeconds,
    onStatus: (e) => notice(`${e.name}: ${statusLabel(e.status)}${e.statusReason ? ` — ${e.statusReason}` : ""}`),
    onNotice: notice,
  });
  emit(s.format, env, environmentText);
}

/**
 * @param {Session} s
 * @param {string} id
 */
async function show(s, id) {
  const detail = await s.client.get(`/api/v1/environments/${id}`);
  emit(s.format, detail, environmentText);
}

/**
 * @param {Session} s
 * @param {string} ref
 * @param {"POST" | "DELETE"} method
 */
async function pin(s, ref, method) {
  const id = await environmentId(s.client, ref);
  const result = await s.client.json(method, `/api/v1/environments/${id}/pin`);
  emit(s.format, result, (e) => keyValues([["name", e?.name ?? ref], ["pinned", method === "POST" ? "yes" : "no"], ["expires", e?.expiresAt]]));
}

/**
 * @param {unknown} value
 * @returns {Record<string, unknown>}
 */
function asObject(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CliError(EXIT.badInput, "--file holds a JSON object: the request body.");
  return /** @type {Record<string, unknown>} */ (value);
}
