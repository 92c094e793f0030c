// A row filter is one WHERE expression on the table's own columns: comparisons, AND/OR/NOT, IN
// lists, BETWEEN, LIKE, IS NULL, arithmetic and a short list of date, string and JSON functions.
// It is pasted into `SELECT … FROM t WHERE (<filter>)` on the source, so anything that could read
// beyond the row — a subquery, a UNION, a function such as LOAD_FILE or SLEEP, a variable, another
// table's column (`db.t.c`) — is refused here, before a connection is opened. A tokenizer with an
// allowlist, not a full SQL parser: no library parses MariaDB's expression grammar faithfully, and
// a filter that is refused here can always be written in the allowed subset.

const KEYWORDS = new Set([
  "AND", "OR", "NOT", "XOR", "IN", "IS", "NULL", "TRUE", "FALSE", "UNKNOWN", "BETWEEN", "LIKE", "ESCAPE", "REGEXP", "RLIKE",
  "INTERVAL", "MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR",
  "CASE", "WHEN", "THEN", "ELSE", "END", "DIV", "MOD", "BINARY", "COLLATE",
]);

const FUNCTIONS = new Set([
  "NOW", "CURDATE", "CURRENT_DATE", "CURRENT_TIMESTAMP", "UTC_DATE", "UTC_TIMESTAMP", "DATE", "DATE_SUB", "DATE_ADD", "DATEDIFF", "TIMESTAMPDIFF",
  "YEAR", "MONTH", "DAY", "HOUR", "LOWER", "UPPER", "LENGTH", "CHAR_LENGTH", "TRIM", "LEFT", "RIGHT", "SUBSTRING", "CONCAT",
  "COALESCE", "IFNULL", "NULLIF", "IF", "ABS", "ROUND", "FLOOR", "CEIL", "CEILING", "MOD", "CRC32",
  "JSON_EXTRACT", "JSON_UNQUOTE", "JSON_CONTAINS", "JSON_LENGTH", "JSON_VALUE",
]);

// Words that begin or join a query or reach outside the row: never a column name in a filter.
const REFUSED = new Set([
  "SELECT", "UNION", "FROM", "INTO", "TABLE", "VALUES", "WITH", "LOCK", "FOR", "UPDATE", "SHARE", "PROCEDURE", "OUTFILE", "DUMPFILE",
  "EXISTS", "ANY", "SOME", "ALL", "HAVING", "GROUP", "ORDER", "LIMIT", "WINDOW", "OVER", "SET", "WHERE", "JOIN", "DELETE", "INSERT", "CALL", "DO",
]);

const TOKEN = /\s+|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")|(`(?:[^`]|``)+`)|([A-Za-z_][A-Za-z0-9_$]*)|(<=>|<>|!=|<=|>=|[=<>+\-*/%,()])/y;

/** Why `filter` is refused, in words, or null when it may be sent to the server. */
export function rowFilterProblem(filter: string): string | null {
  if (filter.trim() === "") return "it is empty";
  if (filter.length > 2_000) return "it is longer than 2,000 characters";
  if (/--|\/\*|\*\//.test(stripStrings(filter))) return "it contains a comment ('--' or '/* */')";
  let depth = 0;
  let lastWord: string | null = null; // the previous token, when it was a bare word
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(filter);
    if (!m) return `it contains ${describeChar(filter[at]!)} at position ${at + 1}, which a row filter may not use (one expression on the table's own columns)`;
    if (m[0].trim() === "") continue;
    const word = m[4];
    const op = m[5];
    if (word) {
      const upper = word.toUpperCase();
      if (REFUSED.has(upper)) return `it uses ${upper}: a row filter is one expression on the table's own columns, not a query`;
      lastWord = upper;
      continue;
    }
    if (op === "(") {
      if (lastWord && !FUNCTIONS.has(lastWord) && !KEYWORDS.has(lastWord)) return `it calls ${lastWord}(), which a row filter may not use (allowed: ${[...FUNCTIONS].join(", ")})`;
      depth++;
    } else if (op === ")" && --depth < 0) {
      return "its parentheses do not match";
    }
    lastWord = null;
  }
  return depth === 0 ? null : "its parentheses do not match";
}

function stripStrings(filter: string): string {
  return filter.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)+`/g, "''");
}

function describeChar(c: string): string {
  if (c === ";") return "';' (one expression only)";
  if (c === "#" || c === "/") return "a comment";
  if (c === "@") return "a variable ('@')";
  if (c === "." ) return "'.' (another table's or database's column)";
  if (c === "?") return "a placeholder ('?')";
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return "a control character";
  return `'${c}'`;
}
