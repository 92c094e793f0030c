// The masking rules of a source as the editor holds them and the API takes them. The shape is
// the masking library's (lib/data/masking/schemas.ts); the server checks it, and its field
// messages (`columns.0.column`) land on the same rows here.

export const COLUMN_MASKS = ["email", "name", "fixed", "null", "keep", "hash-id"] as const;
export const KEY_MASKS = ["email", "name", "fixed", "keep", "hash-id"] as const;

export type ColumnMask = (typeof COLUMN_MASKS)[number];
export type KeyMask = (typeof KEY_MASKS)[number];

export const MASK_LABELS: Record<ColumnMask, string> = {
  email: "a fake e-mail address",
  name: "a fake name",
  fixed: "a fixed value",
  null: "NULL",
  keep: "kept as it is",
  "hash-id": "a stable hash (ids stay joinable)",
};

export interface ColumnRule {
  table: string;
  column: string;
  kind: ColumnMask;
  value?: string;
}

export interface KeyRule {
  keyPattern: string;
  hashField?: string;
  kind: KeyMask;
  value?: string;
}

export interface MaskingRulesDraft {
  columns: ColumnRule[];
  redis: KeyRule[];
}

/** The stored rules (JSON from the API) as the editor's rows; anything unexpected is left out. */
export function readMaskingRules(json: unknown): MaskingRulesDraft {
  const value = (typeof json === "object" && json !== null ? json : {}) as { columns?: unknown; redis?: unknown };
  const rows = (list: unknown) => (Array.isArray(list) ? list.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null) : []);
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    columns: rows(value.columns).map((r) => ({
      table: str(r.table),
      column: str(r.column),
      kind: (COLUMN_MASKS as readonly string[]).includes(str(r.kind)) ? (r.kind as ColumnMask) : "keep",
      value: str(r.value),
    })),
    redis: rows(value.redis).map((r) => ({
      keyPattern: str(r.keyPattern),
      hashField: str(r.hashField),
      kind: (KEY_MASKS as readonly string[]).includes(str(r.kind)) ? (r.kind as KeyMask) : "keep",
      value: str(r.value),
    })),
  };
}

/** The editor's rows as the API takes them: trimmed, a value only for "fixed", no empty hash field. */
export function toMaskingRequest(draft: MaskingRulesDraft): MaskingRulesDraft {
  return {
    columns: draft.columns.map((r) => ({ table: r.table.trim(), column: r.column.trim(), kind: r.kind, ...(r.kind === "fixed" ? { value: r.value ?? "" } : {}) })),
    redis: draft.redis.map((r) => ({
      keyPattern: r.keyPattern.trim(),
      ...(r.hashField?.trim() ? { hashField: r.hashField.trim() } : {}),
      kind: r.kind,
      ...(r.kind === "fixed" ? { value: r.value ?? "" } : {}),
    })),
  };
}
