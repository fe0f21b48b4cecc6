import type { CallFrame, FunctionRow, ProfileSort } from '../../../shared/profile.js';

type Shown = Pick<CallFrame, 'functionName' | 'url' | 'lineNumber' | 'columnNumber'>;

/** A function's identity: name and position, as the server keys it (not the script id). */
export const functionKey = (fn: Shown) => `${fn.functionName}|${fn.url}|${fn.lineNumber}|${fn.columnNumber}`;

export const functionName = (fn: Shown) => fn.functionName || '(anonymous)';

/** `folder/file.js:12` for a 1-based line: enough to find it, short enough for a column. */
export function fileLine(fn: Shown): string {
  if (fn.url === '') return '';
  const file = fn.url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
  return `${file}:${fn.lineNumber}`;
}

const SORT_VALUE: Record<ProfileSort, (row: FunctionRow) => number> = {
  cumulative: (row) => row.cumulativeMs,
  self: (row) => row.selfMs,
  samples: (row) => row.samples,
};

/** Rows in the API's order for `sort`: largest first. */
export function sortRows(rows: readonly FunctionRow[], sort: ProfileSort): FunctionRow[] {
  const value = SORT_VALUE[sort];
  return [...rows].sort((a, b) => value(b) - value(a));
}
