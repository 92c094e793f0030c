// Migrations are SQL written by hand (Prisma's schema engine cannot be fetched here), so they
// can drift from the schema the Prisma client is generated from. This compares a migrated
// database with that schema — tables, columns, types, nullability, defaults, indexes,
// foreign keys and enums — and names every difference. Prisma's own `migrate diff` would do
// it, but needs the schema engine; the schema is read with Prisma's WebAssembly parser.
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";

interface DmmfField {
  name: string;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  dbName?: string | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
  dbName?: string | null;
}

interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[]; dbName?: string | null }[]; indexes: DmmfIndex[] };
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

const ON_DELETE: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

/** Every difference between the schema (as text) and the database at `connectionString`; empty when they agree. */
export async function schemaDrift(schema: string, connectionString: string): Promise<string[]> {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schema }))) as Dmmf;
  const db = await readDatabase(connectionString);
  const problems: string[] = [];
  const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
  const columnOf = (f: DmmfField) => f.dbName ?? f.name;

  // Enums.
  for (const e of dmmf.datamodel.enums) {
    const values = db.enums.get(e.dbName ?? e.name);
    if (!values) problems.push(`enum ${e.name}: missing in the database`);
    else if (values.join(",") !== e.values.map((v) => v.name).join(",")) problems.push(`enum ${e.name}: the database has (${values.join(", ")}), the schema (${e.values.map((v) => v.name).join(", ")})`);
  }
  for (const name of db.enums.keys()) {
    if (!dmmf.datamodel.enums.some((e) => (e.dbName ?? e.name) === name)) problems.push(`enum ${name}: in the database, not in the schema`);
  }

  // Tables and columns.
  const modelTables = new Set(dmmf.datamodel.models.map(tableOf));
  for (const table of db.columns.keys()) if (!modelTables.has(table)) problems.push(`table ${table}: in the database, not in the schema`);
  for (const model of dmmf.datamodel.models) {
    const columns = db.columns.get(tableOf(model));
    if (!columns) {
      problems.push(`table ${tableOf(model)}: missing in the database`);
      continue;
    }
    const scalars = model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
    for (const name of columns.keys()) if (!scalars.some((f) => columnOf(f) === name)) problems.push(`${model.name}.${name}: a column in the database, not in the schema`);
    for (const field of scalars) {
      const column = columns.get(columnOf(field));
      const where = `${model.name}.${field.name}`;
      if (!column) {
        problems.push(`${where}: missing in the database`);
        continue;
      }
      const wanted = field.kind === "enum" ? `"${field.type}"` : SCALAR_TYPES[field.type] ?? field.type;
      const type = field.isList ? `${wanted}[]` : wanted;
      if (column.type !== type) problems.push(`${where}: type ${column.type} in the database, ${type} in the schema`);
      // Prisma Migrate writes scalar lists (String[]) as nullable columns, required or not.
      const required = field.isRequired && !field.isList;
      if (column.nullable === required) problems.push(`${where}: ${column.nullable ? "nullable" : "required"} in the database, ${required ? "required" : "optional"} in the schema`);
      const wantedDefault = canonicalJson(defaultSql(field));
      if (canonicalJson(normaliseDefault(column.default)) !== wantedDefault) {
        problems.push(`${where}: default ${column.default ?? "none"} in the database, ${wantedDefault ?? "none"} in the schema`);
      }
    }
  }

  // Indexes: the primary key, unique and plain indexes, by their columns in order.
  const wantedIndexes = new Set<string>();
  for (const index of dmmf.datamodel.indexes) {
    const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
    const cols = index.fields.map((f) => columnOf(model.fields.find((x) => x.name === f.name)!));
    wantedIndexes.add(`${tableOf(model)}(${cols.join(",")})${index.type === "id" ? " primary key" : index.type === "unique" ? " unique" : ""}`);
  }
  const actualIndexes = new Set(db.indexes);
  for (const i of wantedIndexes) if (!actualIndexes.has(i)) problems.push(`index ${i}: missing in the database`);
  for (const i of actualIndexes) if (!wantedIndexes.has(i)) problems.push(`index ${i}: in the database, not in the schema`);

  // Foreign keys, with what a delete does.
  const wantedKeys = new Set<string>();
  for (const model of dmmf.datamodel.models) {
    for (const f of model.fields.filter((x) => x.kind === "object" && x.relationFromFields && x.relationFromFields.length > 0)) {
      const target = dmmf.datamodel.models.find((m) => m.name === f.type)!;
      const from = f.relationFromFields!.map((n) => columnOf(model.fields.find((x) => x.name === n)!));
      const to = f.relationToFields!.map((n) => columnOf(target.fields.find((x) => x.name === n)!));
      const optional = f.relationFromFields!.some((n) => !model.fields.find((x) => x.name === n)!.isRequired);
      const onDelete = f.relationOnDelete ?? (optional ? "SetNull" : "Restrict");
      wantedKeys.add(`${tableOf(model)}(${from.join(",")}) → ${tableOf(target)}(${to.join(",")}) on delete ${onDelete}`);
    }
  }
  const actualKeys = new Set(db.foreignKeys);
  for (const k of wantedKeys) if (!actualKeys.has(k)) problems.push(`foreign key ${k}: missing in the database`);
  for (const k of actualKeys) if (!wantedKeys.has(k)) problems.push(`foreign key ${k}: in the database, not in the schema`);
  return problems;
}

// The DEFAULT clause Prisma Migrate would write for a field, or null for none.
function defaultSql(field: DmmfField): string | null {
  if (!field.hasDefaultValue || field.isUpdatedAt) return null;
  const d = field.default as unknown;
  if (typeof d === "object" && d !== null && "name" in d) {
    const fn = (d as { name: string }).name;
    if (fn === "now") return "CURRENT_TIMESTAMP";
    if (fn === "autoincrement") return "nextval";
    return null; // cuid(), uuid(): made by the client, not the database
  }
  if (Array.isArray(d) && d.length === 0) return "ARRAY[]";
  if (field.kind === "enum") return `'${String(d)}'::"${field.type}"`;
  if (typeof d === "string") return field.type === "Json" ? `'${d}'::jsonb` : `'${d.replace(/'/g, "''")}'::text`;
  if (typeof d === "boolean" || typeof d === "number") return String(d);
  if (Array.isArray(d) && d.length === 0) return "ARRAY[]";
  return JSON.stringify(d);
}

function normaliseDefault(value: string | null): string | null {
  if (value === null) return null;
  if (value.startsWith("nextval(")) return "nextval";
  return value.replace(/::("?[A-Za-z]+"?)\[\]$/, "").replace(/^ARRAY\[\]$/, "ARRAY[]");
}

// Postgres prints a jsonb default in its own key order and spacing: compare the JSON, not the text.
function canonicalJson(value: string | null): string | null {
  const m = value?.match(/^'(.*)'::jsonb$/s);
  if (!m) return value;
  try {
    return `'${JSON.stringify(sortKeys(JSON.parse(m[1]!.replace(/''/g, "'"))))}'::jsonb`;
  } catch {
    return value;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

interface DatabaseShape {
  enums: Map<string, string[]>;
  columns: Map<string, Map<string, { type: string; nullable: boolean; default: string | null }>>;
  indexes: string[];
  foreignKeys: string[];
}

async function readDatabase(connectionString: string): Promise<DatabaseShape> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const enums = new Map<string, string[]>();
    const enumRows = await client.query<{ name: string; label: string }>(`
      SELECT t.typname AS name, e.enumlabel AS label FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`);
    for (const r of enumRows.rows) enums.set(r.name, [...(enums.get(r.name) ?? []), r.label]);

    const columns: DatabaseShape["columns"] = new Map();
    const columnRows = await client.query<{ table: string; column: string; type: string; nullable: boolean; default: string | null }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
             pg_get_expr(d.adbin, d.adrelid) AS default
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname, a.attnum`);
    for (const r of columnRows.rows) {
      if (!columns.has(r.table)) columns.set(r.table, new Map());
      columns.get(r.table)!.set(r.column, { type: r.type.replace(/^"?([A-Za-z]+)"?$/, (m, t: string) => (/^[A-Z]/.test(t) ? `"${t}"` : m)), nullable: r.nullable, default: r.default });
    }

    const indexRows = await client.query<{ table: string; columns: string[]; unique: boolean; primary: boolean }>(`
      SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
             array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations'`);
    const indexes = indexRows.rows.map((r) => `${r.table}(${r.columns.join(",")})${r.primary ? " primary key" : r.unique ? " unique" : ""}`);

    const keyRows = await client.query<{ table: string; from: string[]; target: string; to: string[]; action: string }>(`
      SELECT c.relname AS table, t.relname AS target, con.confdeltype AS action,
             array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS from,
             array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS to
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class t ON t.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'f' AND n.nspname = 'public'`);
    const foreignKeys = keyRows.rows.map((r) => `${r.table}(${r.from.join(",")}) → ${r.target}(${r.to.join(",")}) on delete ${ON_DELETE[r.action] ?? r.action}`);
    return { enums, columns, indexes, foreignKeys };
  } finally {
    await client.end();
  }
}
