import { clone, isPlainObject } from "./json";
import { mergeKeyOf, strategicMergePatch } from "./patch";
import type { JsonObject } from "./types";

/**
 * The field set (FieldsV1) an applied configuration owns: maps by `f:<field>`, keyed list items
 * by `k:{"name":...}`, other lists atomically.
 */
export function fieldSet(value: unknown): JsonObject {
  const out: JsonObject = {};
  if (!isPlainObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (isPlainObject(v)) out[`f:${k}`] = fieldSet(v);
    else if (Array.isArray(v)) {
      const key = mergeKeyOf(v);
      const entry: JsonObject = {};
      if (key) {
        for (const item of v as Record<string, unknown>[]) {
          entry[`k:${JSON.stringify({ [key]: item[key] })}`] = { ".": {}, ...fieldSet(item) };
        }
      }
      out[`f:${k}`] = entry;
    } else out[`f:${k}`] = {};
  }
  return out;
}

/**
 * Server-side apply, simplified: the applied configuration is merged over the live object and
 * fields the same manager applied before but no longer applies are removed. Conflicts between
 * managers are not detected; the last applier wins as with force=true.
 */
export function applyConfiguration(live: Record<string, unknown>, applied: Record<string, unknown>, previousFields: JsonObject | undefined): Record<string, unknown> {
  const merged = strategicMergePatch(live, applied) as Record<string, unknown>;
  if (previousFields) removeUnapplied(merged, previousFields, fieldSet(applied));
  return merged;
}

function removeUnapplied(target: unknown, before: JsonObject, now: JsonObject): void {
  for (const [k, sub] of Object.entries(before)) {
    if (k === ".") continue;
    const stillOwned = now[k];
    if (k.startsWith("f:") && isPlainObject(target)) {
      const field = k.slice(2);
      if (stillOwned === undefined) delete target[field];
      else if (isPlainObject(sub) && isPlainObject(stillOwned)) removeUnapplied(target[field], sub as JsonObject, stillOwned as JsonObject);
    } else if (k.startsWith("k:") && Array.isArray(target)) {
      const key = JSON.parse(k.slice(2)) as Record<string, unknown>;
      const [name, val] = Object.entries(key)[0] ?? [];
      if (name === undefined) continue;
      const idx = target.findIndex((i) => isPlainObject(i) && i[name] === val);
      if (idx < 0) continue;
      if (stillOwned === undefined) target.splice(idx, 1);
      else if (isPlainObject(sub) && isPlainObject(stillOwned)) removeUnapplied(target[idx], sub as JsonObject, stillOwned as JsonObject);
    }
  }
}

/** The part of an applied object that managed fields describe (identity fields excluded). */
export function appliedFieldsOf(applied: Record<string, unknown>): JsonObject {
  const copy = clone(applied);
  delete copy["apiVersion"];
  delete copy["kind"];
  const meta = copy["metadata"];
  if (isPlainObject(meta)) {
    delete meta["name"];
    delete meta["namespace"];
    delete meta["resourceVersion"];
    delete meta["managedFields"];
    if (Object.keys(meta).length === 0) delete copy["metadata"];
  }
  return fieldSet(copy);
}
