import type { PersonalColumn } from "@/lib/data/masking/personal-columns";
import type { ColumnMask, ColumnRule } from "./masking-rules";

// What the masking editor makes of a source's inspection: which flagged columns the rules being
// edited still leave out, a first guess of a rule for one, and the choices of its pickers.

/** Flagged columns no row of the draft names yet (columns compare as MySQL does, without case). */
export function stillUnruled(flagged: readonly PersonalColumn[], rules: readonly Pick<ColumnRule, "table" | "column">[]): PersonalColumn[] {
  const named = new Set(rules.map((r) => `${r.table.trim()}\u0000${r.column.trim().toLowerCase()}`));
  return flagged.filter((p) => !named.has(`${p.table}\u0000${p.column.toLowerCase()}`));
}

/**
 * A rule for a flagged column, as a start the admin may change: a fake address or name where
 * the column looks like one, else a format-keeping hash (a phone number stays digits).
 */
export function suggestedRule(p: PersonalColumn): ColumnRule {
  const kind: ColumnMask = /e-mail/.test(p.why) ? "email" : /person's name/.test(p.why) ? "name" : "hash-id";
  return { table: p.table, column: p.column, kind, value: "" };
}

/**
 * A picker's choices: what the source has, plus the current value when the source lacks it (a
 * rule for a dropped column stays visible, and the rule problems above say why).
 */
export function pickerChoices(known: readonly string[], current: string): { value: string; missing: boolean }[] {
  const choices = known.map((value) => ({ value, missing: false }));
  return current && !known.includes(current) ? [{ value: current, missing: true }, ...choices] : choices;
}

/** The rows of the draft that apply to one table and are whole enough to send to the preview. */
export function rulesForTable<T extends Pick<ColumnRule, "table" | "column">>(rules: readonly T[], table: string): T[] {
  return rules.filter((r) => r.table.trim() === table && r.column.trim() !== "");
}
