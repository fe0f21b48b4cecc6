import { captureSite, type CallSite } from './stack.js';
import { currentTrace, now, type QueryEvent } from './trace.js';

export type RowsOf = (result: unknown) => number | null;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Starts a query event in the current request's trace; undefined when nothing is recorded. */
export function beginQuery(
  system: string,
  text: string,
  params: unknown,
  poolSite: CallSite | null = null,
): QueryEvent | undefined {
  const trace = currentTrace();
  if (trace === undefined) return undefined;
  return trace.queries.push({ system, text, params, start: now(), end: null, rows: null, error: null, site: captureSite(), poolSite });
}

export function endQuery(event: QueryEvent, result: unknown, rowsOf: RowsOf): void {
  event.end = now();
  try {
    event.rows = rowsOf(result);
  } catch {
    event.rows = null;
  }
}

export function failQuery(event: QueryEvent, error: unknown): void {
  event.end ??= now();
  event.error = messageOf(error);
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Runs a client's query function and records it when a request is being recorded. The
 * client's own return value (a result or a promise) is handed back untouched.
 */
export function runQuery<T>(system: string, text: string, params: unknown, run: () => T, rowsOf: RowsOf): T {
  const event = beginQuery(system, text, params);
  if (event === undefined) return run();
  let result: T;
  try {
    result = run();
  } catch (error) {
    failQuery(event, error);
    throw error;
  }
  if (isThenable(result)) {
    result.then(
      (value) => endQuery(event, value, rowsOf),
      (error: unknown) => failQuery(event, error),
    );
  } else endQuery(event, result, rowsOf);
  return result;
}

/** Rows in the common result shapes: arrays, `rowCount`, `changes`, `affectedRows`. */
export const rowsOfResult: RowsOf = (result) => {
  if (Array.isArray(result)) return result.length;
  if (result === null || result === undefined) return 0;
  if (typeof result !== 'object') return 1;
  const counts = result as { rowCount?: unknown; changes?: unknown; affectedRows?: unknown };
  for (const count of [counts.rowCount, counts.changes, counts.affectedRows]) if (typeof count === 'number') return count;
  return 1;
};
