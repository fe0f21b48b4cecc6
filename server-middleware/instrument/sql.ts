/**
 * SQL with its string, hex and number literals replaced by `?`. Strings may escape quotes by
 * doubling them or with a backslash (MySQL's way, and how mysql2 inlines values).
 */
export function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^'\\]|\\.|'')*'|\bX'[0-9a-f]*'|\b\d+(?:\.\d+)?\b/gi, '?');
}
