// @ts-check
import { readJsonFile } from "../args.js";
import { CliError, EXIT } from "../exit-codes.js";
import { emit, keyValues, table } from "../output.js";
import { fromList } from "../resolve.js";

// The rest of the API: templates (everyone reads, admins write), clusters, data sources and
// their masking rules (admins), tokens, people, the audit log, image versions, and `api` for a
// raw request. Writes take the request body as JSON (--file, - for stdin), the same body the
// API documents, rather than an option per field.

/**
 * @param {import("commander").Command} program
 * @param {import("../main.js").Context} context
 */
export function registerAdmin(program, context) {
  const act = context.action;

  const template = program.command("template").description("templates: named sets of components with default versions");
  template
    .command("list")
    .description("every template with its components' default versions")
    .action(act(async ({ client, format }) => emit(format, await client.get("/api/v1/templates"), (r) => templatesText(r.items))));
  template
    .command("show <template>")
    .description("one template (name or id)")
    .action(
      act(async ({ client, format }, ref) => {
        const found = await fromList(client, "/api/v1/templates", ref, "template");
        const t = await client.get(`/api/v1/templates/${found.id}`);
        emit(format, t, (x) => `${keyValues([["name", x.name], ["id", x.id], ["description", x.description], ["ttl", `${x.defaultTtlHours} h`], ["data stores", x.dataStores.join(", ")]])}\n\n${componentsText(x.components)}`);
      }),
    );
  crud(template, act, { what: "template", path: "/api/v1/templates", update: "PUT" });

  const cluster = program.command("cluster").description("clusters environments are placed on (admins)");
  cluster
    .command("list")
    .description("every cluster, the default first")
    .action(act(async ({ client, format }) => emit(format, await client.get("/api/v1/clusters"), (r) => table(r.items, [{ header: "NAME", value: (c) => c.name }, { header: "DEFAULT", value: (c) => (c.isDefault ? "yes" : "") }, { header: "CONTEXT", value: (c) => c.kubeContext }, { header: "DNS", value: (c) => c.dnsDomain }, { header: "ID", value: (c) => c.id }]))));
  crud(cluster, act, { what: "cluster", path: "/api/v1/clusters", update: "PUT" });

  const source = program.command("source").description("data sources and store hosts, and their masking rules (admins)");
  source
    .command("list")
    .description("every source and store host (never a secret)")
    .action(act(async ({ client, format }) => emit(format, await client.get("/api/v1/data-sources"), (r) => table(r.items, [{ header: "NAME", value: (s) => s.name }, { header: "KIND", value: (s) => s.kind }, { header: "PROTECTED", value: (s) => (s.protected ? "yes" : "no") }, { header: "STORE HOST", value: (s) => (s.storeHost ? "yes" : "") }, { header: "ID", value: (s) => s.id }]))));
  source
    .command("show <source>")
    .description("one source's settings and masking rules")
    .action(act(async ({ client, format }, ref) => emit(format, await client.get(`/api/v1/data-sources/${(await fromList(client, "/api/v1/data-sources", ref, "data source")).id}`), (s) => JSON.stringify(s, null, 2))));
  crud(source, act, { what: "data source", path: "/api/v1/data-sources", update: "PUT" });
  sourceAction(source, act, "test", "connect with the stored credentials and say what works", "POST", "test");
  sourceAction(source, act, "inspect", "a MySQL source's tables, and personal-looking columns without a rule", "GET", "inspect");
  sourceAction(source, act, "masking-rules", "replace its masking rules with --file's", "PUT", "masking-rules", true);
  sourceAction(source, act, "masking-preview", "rows of a table before and after the rules in --file (nothing saved)", "POST", "masking-preview", true);

  const token = program.command("token").description("your API tokens (new ones are made in the portal, signed in)");
  token
    .command("list")
    .description("your tokens, never their values")
    .action(act(async ({ client, format }) => emit(format, await client.get("/api/v1/tokens"), (r) => table(r.items, [{ header: "NAME", value: (t) => t.name }, { header: "SCOPES", value: (t) => t.scopes?.join(" ") }, { header: "EXPIRES", value: (t) => t.expiresAt }, { header: "REVOKED", value: (t) => t.revokedAt }, { header: "ID", value: (t) => t.id }]))));
  token
    .command("revoke <id>")
    .description("revoke one of your tokens, at once")
    .action(act(async ({ client, format }, id) => emit(format, await client.json("DELETE", `/api/v1/tokens/${encodeURIComponent(id)}`), () => `Revoked ${id}.`)));

  program
    .command("users")
    .description("people who have signed in (to hand an environment over)")
    .option("-q, --query <text>", "by name or e-mail")
    .action(act(async ({ client, format, opts }) => emit(format, await client.get("/api/v1/users", { query: { q: opts.query } }), (r) => table(r.items, [{ header: "NAME", value: (u) => u.name }, { header: "EMAIL", value: (u) => u.email }, { header: "ROLE", value: (u) => u.role }]))));

  const audit = program.command("audit").description("the audit log (leads, admins)");
  const filters = /** @param {import("commander").Command} c */ (c) =>
    c.option("--actor <email>").option("--action <action>").option("--target-type <type>").option("--target <id>").option("--outcome <outcome>").option("--from <time>").option("--to <time>");
  const query = /** @param {Record<string, any>} o */ (o) => ({ actor: o.actor, action: o.action, targetType: o.targetType, targetId: o.target, outcome: o.outcome, from: o.from, to: o.to });
  filters(audit.command("list").description("entries, newest first").option("--limit <n>", "at most this many", "100")).action(
    act(async ({ client, format, opts }) => emit(format, await client.get("/api/v1/audit", { query: { ...query(opts), limit: opts.limit } }), (r) => table(r.items, [{ header: "WHEN", value: (e) => e.createdAt }, { header: "WHO", value: (e) => e.actorEmail ?? e.actor }, { header: "ACTION", value: (e) => e.action }, { header: "TARGET", value: (e) => e.targetId }, { header: "OUTCOME", value: (e) => e.outcome }]))),
  );
  filters(audit.command("export").description("every matching entry as CSV, to stdout")).action(
    act(async ({ client, opts }) => {
      const response = await client.send("GET", "/api/v1/audit/export", { query: query(opts), headers: { accept: "text/csv" } });
      for await (const chunk of /** @type {AsyncIterable<Uint8Array>} */ (/** @type {unknown} */ (response.body))) process.stdout.write(chunk);
    }),
  );

  program
    .command("versions <repository>")
    .description("the versions of an image to pick from: templates', live environments' and the registry's, newest first")
    .action(
      act(async ({ client, format }, repository) =>
        emit(format, await client.get("/api/v1/image-versions", { query: { repository } }), (r) => table(r.versions, [{ header: "TAG", value: (v) => v.tag }, { header: "SEEN IN", value: (v) => v.sources.join(", ") }, { header: "ENVIRONMENTS", value: (v) => v.environmentCount }])),
      ),
    );

  program
    .command("api <method> <path>")
    .description("any API request, e.g. corral api GET /api/v1/me; the answer as JSON")
    .option("-f, --file <file>", "the request body as JSON (- for stdin)")
    .action(
      act(async ({ client, opts }, method, path) => {
        if (!path.startsWith("/api/")) throw new CliError(EXIT.badInput, "The path starts with /api/, such as /api/v1/environments.");
        const result = await client.json(method.toUpperCase(), path, { body: opts.file ? readJsonFile(opts.file) : undefined });
        emit("json", result, () => "");
      }),
    );
}

/**
 * create (--file), update <ref> (--file) and delete <ref>, for a resource with a list.
 * @param {import("commander").Command} group
 * @param {import("../main.js").Context["action"]} act
 * @param {{ what: string, path: string, update: "PUT" | "PATCH" }} resource
 */
function crud(group, act, { what, path, update }) {
  group
    .command("create")
    .description(`create a ${what} from --file's JSON`)
    .requiredOption("-f, --file <file>", "the request body as JSON (- for stdin)")
    .action(act(async ({ client, format, opts }) => emit(format, await client.json("POST", path, { body: readJsonFile(opts.file) }), (r) => `Created ${what} ${r.name ?? r.id}.`)));
  group
    .command("update <ref>")
    .description(`replace a ${what} (name or id) with --file's JSON`)
    .requiredOption("-f, --file <file>", "the request body as JSON (- for stdin)")
    .action(
      act(async ({ client, format, opts }, ref) => {
        const found = await fromList(client, path, ref, what);
        emit(format, await client.json(update, `${path}/${found.id}`, { body: readJsonFile(opts.file) }), (r) => `Updated ${what} ${r.name ?? found.name}.`);
      }),
    );
  group
    .command("delete <ref>")
    .description(`delete a ${what} (name or id)`)
    .action(
      act(async ({ client, format }, ref) => {
        const found = await fromList(client, path, ref, what);
        emit(format, await client.json("DELETE", `${path}/${found.id}`), () => `Deleted ${what} ${found.name}.`);
      }),
    );
}

/**
 * @param {import("commander").Command} source
 * @param {import("../main.js").Context["action"]} act
 * @param {string} name
 * @param {string} description
 * @param {string} method
 * @param {string} path
 * @param {boolean} [withBody]
 */
function sourceAction(source, act, name, description, method, path, withBody = false) {
  const command = source.command(`${name} <source>`).description(description);
  if (withBody) command.requiredOption("-f, --file <file>", "the request body as JSON (- for stdin)");
  command.action(
    act(async ({ client, format, opts }, ref) => {
      const found = await fromList(client, "/api/v1/data-sources", ref, "data source");
      const result = await client.json(method, `/api/v1/data-sources/${found.id}/${path}`, { body: withBody ? readJsonFile(opts.file) : undefined });
      emit(format, result, (r) => JSON.stringify(r, null, 2));
    }),
  );
}

/**
 * @param {any[]} items
 */
function templatesText(items) {
  return table(items, [{ header: "NAME", value: (t) => t.name }, { header: "COMPONENTS", value: (t) => t.components.map((/** @type {{ name: string, defaultTag: string }} */ c) => `${c.name}:${c.defaultTag}`).join(" ") }, { header: "TTL", value: (t) => `${t.defaultTtlHours} h` }, { header: "DESCRIPTION", value: (t) => t.description }]);
}

/**
 * @param {any[]} components
 */
function componentsText(components) {
  return table(components, [{ header: "COMPONENT", value: (c) => c.name }, { header: "IMAGE", value: (c) => `${c.repository}:${c.defaultTag}` }, { header: "REPLICAS", value: (c) => c.replicas }, { header: "PORT", value: (c) => c.port }, { header: "PUBLIC", value: (c) => (c.public ? "yes" : "") }]);
}
