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
