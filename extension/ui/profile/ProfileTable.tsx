import type { FunctionRow, ProfileSort } from '../../../shared/profile.js';
import { fileLine, functionKey, functionName } from './functions.js';

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const share = (value: number, totalMs: number) => (totalMs > 0 ? `${((value / totalMs) * 100).toFixed(1)}%` : '–');

function SortHeader({ sort, by, onSort, children }: { sort: ProfileSort; by: ProfileSort; onSort: (sort: ProfileSort) => void; children: string }) {
  return (
    <th scope="col" class="num" aria-sort={sort === by ? 'descending' : undefined}>
      <button type="button" class="sort" data-sort={by} onClick={() => onSort(by)}>
        {children}
        <span class="sort-mark" aria-hidden="true">{sort === by ? '▼' : ''}</span>
      </button>
    </th>
  );
}

/**
 * pstats' columns, with shares of the profile's total time: the cumulative share also shows as
 * a bar so the eye finds the hot rows without reading numbers.
 */
export function ProfileTable({
  rows,
  totalMs,
  sort,
  onSort,
}: {
  rows: readonly FunctionRow[];
  totalMs: number;
  sort: ProfileSort;
  onSort: (sort: ProfileSort) => void;
}) {
  return (
    <table class="grid profile-table">
      <thead>
        <tr>
          <th scope="col">Function</th>
          <th scope="col">File:line</th>
          <SortHeader sort={sort} by="samples" onSort={onSort}>Samples</SortHeader>
          <SortHeader sort={sort} by="self" onSort={onSort}>Self ms</SortHeader>
          <th scope="col" class="num">Self %</th>
          <SortHeader sort={sort} by="cumulative" onSort={onSort}>Total ms</SortHeader>
          <th scope="col" class="num share">Total %</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const cumulative = totalMs > 0 ? Math.min(100, (row.cumulativeMs / totalMs) * 100) : 0;
          return (
            <tr key={functionKey(row)} data-function={row.functionName}>
              <td class="fn" title={functionName(row)}>{functionName(row)}</td>
              <td class="file" title={row.url ? `${row.url}:${row.lineNumber}:${row.columnNumber}` : undefined}>
                {fileLine(row)}
              </td>
              <td class="num">{row.samples}</td>
              <td class="num">{ms(row.selfMs)}</td>
              <td class="num muted">{share(row.selfMs, totalMs)}</td>
              <td class="num">{ms(row.cumulativeMs)}</td>
              <td class="num share" style={{ '--pct': `${cumulative}%` }}>
                {share(row.cumulativeMs, totalMs)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
