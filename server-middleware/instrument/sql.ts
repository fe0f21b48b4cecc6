import type { QueryEvent } from './trace.js';

/**
 * SQL with its string, hex and number literals replaced by `?`. Strings may escape quotes by
 * doubling them or with a backslash (MySQL's way, and how mysql2 inlines values).
 */
export function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^'\\]|\\.|'')*'|\bX'[0-9a-f]*'|\b\d+(?:\.\d+)?\b/gi, '?');
}

/**
 * A query's text as the panels record it. Values the app wrote into its SQL are values all
 * the same, so they go when parameters are not kept. Redis clients already replace the
 * values of writes, and a command has no literal syntax to find.
 */
export function recordedQueryText(query: Pick<QueryEvent, 'system' | 'text'>, keepValues: boolean): string {
  return keepValues || query.system === 'redis' ? query.text : withoutLiterals(query.text);
}
