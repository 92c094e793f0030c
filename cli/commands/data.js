// @ts-check
import { Option } from "commander";
import { collect, parseDuration, parseRowFilter } from "../args.js";
import { CliError, EXIT } from "../exit-codes.js";
import { emit, notice, table } from "../output.js";
import { environmentId, fromList } from "../resolve.js";
import { waitForCopy } from "../wait.js";

// `corral data …`: an environment's stores and copies into them. A copy replaces the store's
// data, so it is confirmed with the environment's name (--confirm NAME, or --yes in a pipeline
// that means it); with --wait its progress is printed as the change stream reports it.

const UNITS = /** @type {Record<string, string>} */ ({ mysql: "rows", redis: "keys", s3: "objects" });

/**
 * @param {import("commander").Command} program
 * @param {import("../main.js").Context} context
 */
export function registerData(program, context) {
  const data = program.command("data").description("an environment's data stores and copies of production-like data into them");
  const act = context.action;

  data
    .command("show <env>")
    .description("its stores and its copies, newest first, with progress and verification")
    .action(
      act(async ({ client, format }, ref) => {
        const result = await client.get(`/api/v1/environments/${await environmentId(client, ref)}/data`);
        emit(format, result, (r) =>
          [
            table(r.stores, [{ header: "STORE", value: (s) => s.kind }, { header: "NAME", value: (s) => s.name }, { header: "HOST", value: (s) => s.host }, { header: "STATUS", value: (s) => (s.incomplete ? `${s.status} (incomplete)` : s.status) }, { header: "REASON", value: (s) => s.reason }]),
            table(r.copies, [{ header: "COPY", value: (c) => c.id }, { header: "KIND", value: (c) => c.kind }, { header: "FROM", value: (c) => c.source?.name }, { header: "STATUS", value: (c) => c.status }, { header: "PROGRESS", value: (c) => progressText(c) }, { header: "ERROR", value: (c) => c.error }]),
          ].join("\n\n"),
        );
      }),
    );

  data
    .command("sources")
    .description("the data sources you may copy from")
    .action(
      act(async ({ client, format }) => {
        const result = await client.get("/api/v1/data-sources");
        emit(format, result, (r) => table(r.items, [{ header: "NAME", value: (s) => s.name }, { header: "KIND", value: (s) => s.kind }, { header: "PROTECTED", value: (s) => (s.protected ? "yes" : "no") }, { header: "ID", value: (s) => s.id }]));
      }),
    );

  data
    .command("copy <env>")
    .description("replace one of its stores' data with a source's or another environment's (masked when the source is protected)")
    .addOption(new Option("--kind <kind>", "which store").choices(["mysql", "redis", "s3"]).makeOptionMandatory())
    .option("--from-source <source>", "a data source (name or id)")
    .option("--from-env <env>", "another environment's store")
    .option("--table <table>", "MySQL: only these tables (repeatable)", collect)
    .option("--where <TABLE=EXPRESSION>", "MySQL: a row filter (repeatable)", collect)
    .option("--pattern <glob>", "Redis: only keys matching this")
    .option("--confirm <name>", "the environment's name: its store is emptied first")
    .option("-y, --yes", "confirm without typing the name (pipelines)")
    .option("-w, --wait", "follow the copy to its end, printing progress")
    .option("--timeout <duration>", "with --wait: give up after this long", "1h")
    .action(
      act(async ({ client, format, opts }, ref) => {
        if (!opts.fromSource === !opts.fromEnv) throw new CliError(EXIT.badInput, "Copy from one of --from-source or --from-env.");
        const id = await environmentId(client, ref);
        const target = await client.get(`/api/v1/environments/${id}`);
        if (!opts.yes && opts.confirm !== target.name) throw new CliError(EXIT.badInput, `The copy empties ${target.name}'s ${opts.kind} store first: confirm with --confirm ${target.name} (or --yes).`);
        const body = {
          kind: opts.kind,
          sourceId: opts.fromSource ? (await fromList(client, "/api/v1/data-sources", opts.fromSource, "data source")).id : undefined,
          sourceEnvironmentId: opts.fromEnv ? await environmentId(client, opts.fromEnv) : undefined,
          tables: opts.table,
          rowFilters: opts.where ? Object.fromEntries(opts.where.map((/** @type {string} */ w) => parseRowFilter(w))) : undefined,
          pattern: opts.pattern,
          confirm: target.name,
        };
        const copy = await client.json("POST", `/api/v1/environments/${id}/data/copies`, { body });
        if (!opts.wait) return emit(format, copy, (c) => `Copy ${c.id} started; follow it with corral data show ${target.name}.`);
        notice(`Copying into ${target.name}'s ${opts.kind} store…`);
        const progress = progressPrinter();
        const done = await waitForCopy(client, id, copy.id, { timeoutSeconds: parseDuration(opts.timeout), onProgress: progress.update, onNotice: notice });
        progress.end();
        emit(format, done, (c) => `Copied and verified: ${progressText(c)}${c.masked ? " (masked)" : ""}.`);
      }),
    );

  data
    .command("cancel <env> <copy>")
    .description("stop a running copy (its store is left marked incomplete)")
    .action(
      act(async ({ client, format }, ref, copyId) => {
        const id = await environmentId(client, ref);
        const { copies } = await client.get(`/api/v1/environments/${id}/data`);
        const copy = copies.find((/** @type {{ id: string }} */ c) => c.id === copyId);
        if (!copy?.jobId) throw new CliError(EXIT.notFound, `No copy ${copyId} with a job in this environment.`);
        const result = await client.json("POST", `/api/v1/environments/${id}/jobs/${copy.jobId}/cancel`);
        emit(format, result, () => `Asked copy ${copyId} to stop.`);
      }),
    );
}

/**
 * One line of a copy's progress: `tables 3/10 · rows 12,000/50,000 (24%) · 1.2 MB · 4,000 rows/s · 10 s left`.
 * @param {import("../../lib/data/data-copy-dto").DataCopyDto} copy
 * @returns {string}
 */
export function progressText(copy) {
  const p = copy.progress ?? {};
  const unit = UNITS[copy.kind] ?? "items";
  const parts = [];
  if (p.phase) parts.push(p.phase);
  if (p.itemsTotal !== undefined) parts.push(`${copy.kind === "mysql" ? "tables" : "batches"} ${p.itemsDone ?? 0}/${p.itemsTotal}`);
  if (p.unitsDone !== undefined) {
    const fraction = p.unitsTotal ? ` (${Math.floor((100 * p.unitsDone) / p.unitsTotal)}%)` : "";
    parts.push(`${unit} ${p.unitsDone.toLocaleString("en")}${p.unitsTotal !== undefined ? `/${p.unitsTotal.toLocaleString("en")}` : ""}${fraction}`);
  }
  if (p.bytesDone) parts.push(bytes(p.bytesDone));
  if (p.rate) parts.push(`${Math.round(p.rate).toLocaleString("en")} ${unit}/s`);
  if (p.etaSeconds !== undefined && copy.status === "running") parts.push(`${Math.ceil(p.etaSeconds)} s left`);
  if (p.current && copy.status === "running") parts.push(p.current);
  return parts.length > 0 ? parts.join(" · ") : copy.status;
}

/**
 * On a terminal one line rewritten in place; in a pipeline's log a line each time it changes.
 */
function progressPrinter() {
  const tty = Boolean(process.stderr.isTTY);
  let last = "";
  return {
    /** @param {import("../../lib/data/data-copy-dto").DataCopyDto} copy */
    update(copy) {
      const line = `${copy.status}: ${progressText(copy)}`;
      if (line === last) return;
      last = line;
      process.stderr.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
    },
    end() {
      if (tty && last) process.stderr.write("\n");
    },
  };
}

/**
 * @param {number} n
 */
function bytes(n) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
