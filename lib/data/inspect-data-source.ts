import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { actorMay } from "@/lib/auth/permissions";
import { installationSecret } from "@/lib/secrets/secrets";
import { isDataProblem } from "./data-problem";
import { sourceEndpoint } from "./endpoints";
import { checkRulesAgainstSchema } from "./masking/mysql-masker";
import { findUnmaskedPersonalColumns } from "./masking/personal-columns";
import { previewMasking } from "./masking/preview";
import { maskingRulesSchema, type ColumnRule } from "./masking/schemas";
import { inspectMysql } from "./mysql/inspect";

// A person waits on these: they give up after a few seconds with the reason in words.
const INSPECT_DEADLINE_MS = 8_000;

/**
 * Before a copy: a MySQL source's tables (for the subset and filters) and, for a protected one,
 * the columns whose names look personal with no masking rule, and rules that do not fit the
 * schema (a column gone, a kind its type cannot take). Redis and S3 sources have no columns.
 */
export async function inspectDataSource(actor: Actor, id: string) {
  const source = await db.dataSource.findUnique({ where: { id } });
  if (!source || source.storeHost) throw new AppError("not_found", "There is no such data source.");
  // Production's table names and sizes only for those who may copy from it.
  if (source.protected && !actorMay(actor, "data:clone-protected")) throw new AppError("forbidden", `${source.name} is protected (production): looking into it needs the lead role or the data:clone-protected permission.`);
  if (source.kind !== "mysql") return { kind: source.kind, tables: [], unmaskedPersonal: [], ruleProblems: [], problem: null };
  const rules = maskingRulesSchema.parse(source.maskingRules).columns;
  try {
    const endpoint = sourceEndpoint(source);
    if (endpoint.kind !== "mysql") throw new AppError("internal", "A MySQL source without a MySQL endpoint.");
    const { tables } = await inspectMysql(endpoint.endpoint, { signal: AbortSignal.timeout(INSPECT_DEADLINE_MS) });
    const columns = tables.flatMap((t) => t.columns.filter((c) => !c.generated).map((c) => ({ table: t.table, column: c.name })));
    return {
      kind: source.kind,
      tables: tables.map((t) => ({ table: t.table, rows: t.rows, columns: t.columns.map((c) => c.name) })),
      unmaskedPersonal: source.protected ? findUnmaskedPersonalColumns(columns, rules) : [],
      ruleProblems: checkRulesAgainstSchema(rules, tables),
      problem: null,
    };
  } catch (error) {
    if (isDataProblem(error)) return { kind: source.kind, tables: [], unmaskedPersonal: [], ruleProblems: [], problem: error.message };
    throw error;
  }
}

/** The masking preview: a few rows of one table before and after rules being edited (not yet saved). */
export async function previewDataSourceMasking(id: string, input: { table: string; columns: ColumnRule[] }) {
  const source = await db.dataSource.findUnique({ where: { id } });
  if (!source || source.kind !== "mysql") throw new AppError("not_found", "There is no such MySQL data source.");
  const endpoint = sourceEndpoint(source);
  if (endpoint.kind !== "mysql") throw new AppError("internal", "A MySQL source without a MySQL endpoint.");
  try {
    const { tables, sample } = await inspectMysql(endpoint.endpoint, { sampleTable: input.table, sampleRows: 5, signal: AbortSignal.timeout(INSPECT_DEADLINE_MS) });
    const table = tables.find((t) => t.table === input.table);
    if (!table) throw new AppError("invalid_input", "Some fields are not valid.", { table: [`${source.name} has no table “${input.table}”.`] });
    return { table: input.table, ...previewMasking(input.columns, await installationSecret("masking"), input.table, table.columns, sample ?? []), problems: checkRulesAgainstSchema(input.columns, [table]) };
  } catch (error) {
    if (isDataProblem(error)) throw new AppError("unavailable", `${source.name} could not be read: ${error.message}`);
    throw error;
  }
}
