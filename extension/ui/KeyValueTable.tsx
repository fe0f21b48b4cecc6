import type { ComponentChildren } from 'preact';
import type { HeaderValues } from '../../shared/panels.js';

export type Row = readonly [name: string, value: ComponentChildren];

/** Name/value rows; values are text (or components rendering text), never HTML. */
export function KeyValueTable({ rows, empty = 'None' }: { rows: readonly Row[]; empty?: string }) {
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  return (
    <table class="kv">
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Headers, query parameters, cookies: repeated names are shown one value per row. */
export function valueRows(values: HeaderValues): Row[] {
  return Object.entries(values).flatMap(([name, value]) =>
    Array.isArray(value) ? value.map((item, index): Row => [index === 0 ? name : `${name} (${index + 1})`, item]) : [[name, value] as Row],
  );
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}
