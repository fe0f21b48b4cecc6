import type { ComponentChildren } from 'preact';

export interface Column<Row> {
  title: string;
  cell: (row: Row) => ComponentChildren;
}

/** Recorded entries (log lines, queries, calls) as a table of text cells, one row each; the first two columns are short. */
export function EntryTable<Row>({ rows, columns, empty }: { rows: readonly Row[]; columns: Column<Row>[]; empty: string }) {
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  return (
    <table class="kv functions">
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column.title}>
              {column.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            {columns.map((column) => (
              <td key={column.title}>{column.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Says how many entries the server counted but did not keep. */
export function Dropped({ count, noun }: { count: number; noun: string }) {
  return count === 0 ? null : <p class="note">{`${count} more ${noun} not kept (the per-request limit).`}</p>;
}

/** `+12.3 ms`: an offset from the request's start. */
export const at = (ms: number) => `+${ms.toFixed(1)} ms`;
