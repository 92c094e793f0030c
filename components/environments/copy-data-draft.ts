import type { FieldErrors } from "@/lib/api-client/fetcher";
import { type CopyInput, copyInputSchema, STORE_KIND_LABELS, STORE_KINDS } from "@/lib/data/schemas";
import { fieldErrors } from "@/lib/http/validation";

type Kind = (typeof STORE_KINDS)[number];

/** What the copy form holds. `source` is "source:<id>" (a data source) or "env:<id>" (an environment). */
export interface CopyDraft {
  kind: Kind;
  source: string;
  /** Table names, comma-separated; empty: every table. */
  tables: string;
  /** A WHERE expression per table named in `tables`. */
  rowFilters: Record<string, string>;
  pattern: string;
  confirm: string;
}

export function tableList(tables: string): string[] {
  return [...new Set(tables.split(",").map((t) => t.trim()).filter(Boolean))];
}

export function toCopyInput(draft: CopyDraft): CopyInput {
  const [which, id = ""] = draft.source.split(/:(.*)/s);
  const tables = draft.kind === "mysql" ? tableList(draft.tables) : [];
  const rowFilters = Object.fromEntries(tables.map((t) => [t, (draft.rowFilters[t] ?? "").trim()]).filter(([, where]) => where !== ""));
  return {
    kind: draft.kind,
    sourceId: which === "source" ? id : null,
    sourceEnvironmentId: which === "env" ? id : null,
    ...(tables.length > 0 ? { tables } : {}),
    ...(Object.keys(rowFilters).length > 0 ? { rowFilters } : {}),
    pattern: draft.kind === "redis" ? draft.pattern : null,
    confirm: draft.confirm.trim(),
  };
}

/** The API's field path as the form's: both ways of naming the source are the one select. */
export function copyFieldOf(apiPath: string): string {
  return apiPath === "sourceId" || apiPath === "sourceEnvironmentId" ? "source" : apiPath;
}

/** The draft checked as the API checks it, and the name typed as the server will compare it. */
export function checkCopyDraft(draft: CopyDraft, environmentName: string): FieldErrors {
  const found: FieldErrors = {};
  const checked = copyInputSchema.safeParse(toCopyInput(draft));
  if (!checked.success) for (const [path, list] of Object.entries(fieldErrors(checked.error))) (found[copyFieldOf(path)] ??= []).push(...list);
  if (!draft.source) found.source = ["Choose what to copy from."];
  if (draft.confirm.trim() !== environmentName) found.confirm = [`Type ${environmentName} to confirm that its ${STORE_KIND_LABELS[draft.kind]} data is replaced.`];
  return found;
}

/** The comma list with one table added or taken out, in the order chosen. */
export function toggleTable(tables: string, table: string, on: boolean): string {
  const list = tableList(tables).filter((t) => t !== table);
  return (on ? [...list, table] : list).join(", ");
}

/** What a protected source's copy does to its data: S3 objects are never masked, so it must not say so. */
export function protectedCopyWords(kind: Kind): string {
  return kind === "s3" ? "copied as they are (S3 objects are not masked)" : "masked with its rules";
}

export function protectedSourceHint(source: { name: string; kind: Kind }): string {
  return source.kind === "s3"
    ? `${source.name} is protected (production): its objects are ${protectedCopyWords("s3")}.`
    : `${source.name} is protected (production): the copy is ${protectedCopyWords(source.kind)}.`;
}

const STORE_WORDS: Record<string, string> = { pending: "still being made", provisioning: "still being made", failed: "failed", deleting: "being removed" };

/** Why an environment cannot be copied from for this kind, or null when its store is ready. */
export function notReadyToCopyFrom(stores: readonly { kind: Kind; status: string }[], kind: Kind, environmentName: string): string | null {
  const store = stores.find((s) => s.kind === kind);
  if (store?.status === "ready") return null;
  const label = STORE_KIND_LABELS[kind];
  if (!store) return `${environmentName} has no ${label} store to copy from.`;
  return `${environmentName}'s ${label} store is ${STORE_WORDS[store.status] ?? store.status}: there is nothing ready to copy from yet.`;
}
