import type { ChangeGroup } from "./types";
import { valueCharacters } from "./wire-format";

// Change groups into as few ChangeResourceRecordSets requests as Route 53's limits allow,
// never splitting a group. The limits (Route 53 quotas, "Elements and characters in
// ChangeResourceRecordSets requests"): at most 1,000 ResourceRecord elements and at most
// 32,000 characters in all Value elements of one request; an UPSERT counts twice for both,
// because Route 53 performs it as a DELETE and a CREATE. An alias record has no ResourceRecord
// element, but the sandbox (like older Route 53) caps the changes at 1,000, so it counts as one.

export interface RequestLimits {
  records: number;
  valueCharacters: number;
}

export const ROUTE53_LIMITS: RequestLimits = { records: 1_000, valueCharacters: 32_000 };

export interface GroupCost {
  records: number;
  valueCharacters: number;
}

export function groupCost(group: ChangeGroup): GroupCost {
  let records = 0;
  let characters = 0;
  for (const { action, record } of group.changes) {
    const times = action === "UPSERT" ? 2 : 1;
    records += times * (record.alias ? 1 : Math.max(1, (record.values ?? record.wireValues ?? []).length));
    characters += times * (record.alias ? 0 : valueCharacters(record));
  }
  return { records, valueCharacters: characters };
}

export interface Packed {
  /** Each inner list is one request; groups keep their order within a request. */
  batches: ChangeGroup[][];
  /** Groups that no single request can carry. */
  oversized: { group: ChangeGroup; cost: GroupCost }[];
}

/**
 * First fit: each group goes into the first request with room for it. Groups are small next
 * to the limits (a name's records and its TXT), so this ends within one request of the fewest
 * possible, and keeps the planner's order wherever it can.
 */
export function packGroups(groups: ChangeGroup[], limits: RequestLimits = ROUTE53_LIMITS): Packed {
  const batches: { groups: ChangeGroup[]; records: number; valueCharacters: number }[] = [];
  const oversized: Packed["oversized"] = [];
  for (const group of groups) {
    if (group.changes.length === 0) continue;
    const cost = groupCost(group);
    if (cost.records > limits.records || cost.valueCharacters > limits.valueCharacters) {
      oversized.push({ group, cost });
      continue;
    }
    let batch = batches.find((b) => b.records + cost.records <= limits.records && b.valueCharacters + cost.valueCharacters <= limits.valueCharacters);
    if (!batch) {
      batch = { groups: [], records: 0, valueCharacters: 0 };
      batches.push(batch);
    }
    batch.groups.push(group);
    batch.records += cost.records;
    batch.valueCharacters += cost.valueCharacters;
  }
  return { batches: batches.map((b) => b.groups), oversized };
}
