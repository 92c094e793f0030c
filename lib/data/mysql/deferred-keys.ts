import { quoteIdentifier } from "./sql-text";

// Secondary indexes built after the rows, as myloader's --innodb-optimize-keys does: InnoDB then
// loads the rows in primary-key order into the clustered index alone and builds each secondary
// index by one sort of the finished table, instead of inserting into it at random row by row.
// Works on SHOW CREATE TABLE's text, which writes one definition a line. A key stays in the
// CREATE when building it later would change what the table is or allows while it is loaded:
// - FULLTEXT and SPATIAL keys (adding a FULLTEXT key rebuilds the table), and MariaDB's hash-based
//   long UNIQUE keys;
// - UNIQUE keys of a table without a PRIMARY KEY (one of them may be its clustered index);
// - a key that starts with the AUTO_INCREMENT column (the column must always have one);
// - a key that a foreign key of this table, or one referring to it, needs (InnoDB would otherwise
//   make an index of its own for the constraint, or refuse it).

export interface ForeignKeyColumns {
  /** The table's own foreign keys' columns. */
  own: string[][];
  /** The columns of this table that other tables' foreign keys refer to. */
  referenced: string[][];
}

export interface DeferredKeys {
  /** The CREATE TABLE without the deferred keys. */
  sql: string;
  /** The keys' definitions as SHOW CREATE TABLE wrote them, for ALTER TABLE … ADD. */
  keys: string[];
}

const KEY_LINE = /^\s*(UNIQUE\s+)?KEY\s+`(?:[^`]|``)*`\s*\((.*)\)(.*?),?\s*$/i;
const NAME = /`((?:[^`]|``)*)`/g;

export function deferSecondaryKeys(createTable: string, fks: ForeignKeyColumns): DeferredKeys {
  const lines = createTable.split("\n");
  const hasPrimary = lines.some((l) => /^\s*PRIMARY\s+KEY\b/i.test(l));
  const autoIncrement = lines.map((l) => /^\s*`((?:[^`]|``)*)`\s.*\bAUTO_INCREMENT\b/i.exec(l)).find((m) => m)?.[1]?.replaceAll("``", "`");
  const needed = [...fks.own, ...fks.referenced].filter((c) => c.length > 0);
  const keys: string[] = [];
  const kept = lines.filter((line) => {
    const m = KEY_LINE.exec(line);
    if (!m) return true;
    const unique = Boolean(m[1]);
    const columns = [...m[2]!.matchAll(NAME)].map((n) => n[1]!.replaceAll("``", "`"));
    if (columns.length === 0 || /\bUSING\s+HASH\b/i.test(m[3]!)) return true;
    if (unique && !hasPrimary) return true;
    if (columns[0] === autoIncrement) return true;
    if (needed.some((fk) => fk.every((c, i) => columns[i] === c))) return true;
    keys.push(line.trim().replace(/,$/, ""));
    return false;
  });
  if (keys.length === 0) return { sql: createTable, keys };
  const close = kept.findIndex((line, i) => i > 0 && /^\)/.test(line));
  if (close > 0) kept[close - 1] = kept[close - 1]!.replace(/,\s*$/, "");
  return { sql: kept.join("\n"), keys };
}

/** One ALTER TABLE for all of a table's deferred keys: InnoDB builds them in one scan of the rows. */
export function addKeysSql(table: string, keys: string[]): string {
  return `ALTER TABLE ${quoteIdentifier(table)} ${keys.map((k) => `ADD ${k}`).join(", ")}`;
}

/** Each copied table's foreign-key columns, from the CREATE statements that will be run. */
export function foreignKeyColumns(creates: { name: string; sql: string }[]): Map<string, ForeignKeyColumns> {
  const byTable = new Map<string, ForeignKeyColumns>(creates.map((t) => [t.name, { own: [], referenced: [] }]));
  const fk = /FOREIGN KEY\s*\(([^)]*)\)\s*REFERENCES\s+(?:`(?:[^`]|``)*`\.)?`((?:[^`]|``)*)`\s*\(([^)]*)\)/gi;
  const names = (list: string) => [...list.matchAll(NAME)].map((n) => n[1]!.replaceAll("``", "`"));
  for (const t of creates) {
    for (const m of t.sql.matchAll(fk)) {
      byTable.get(t.name)!.own.push(names(m[1]!));
      byTable.get(m[2]!.replaceAll("``", "`"))?.referenced.push(names(m[3]!));
    }
  }
  return byTable;
}
