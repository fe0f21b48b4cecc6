import type { QueryEntry } from '../../../shared/panels.js';
import { formatCount, formatMs } from '../format.js';
import { KeyValueTable, Section } from '../KeyValueTable.js';
import { at, Dropped, EntryTable } from './entry-table.js';
import type { PanelView } from './panel-view.js';

function flags(query: QueryEntry): string {
  const notes = [];
  if (query.slow) notes.push('slow');
  if (query.duplicates > 0) notes.push(`duplicate ×${query.duplicates + 1}`);
  else if (query.similar > 0) notes.push(`similar ×${query.similar + 1}`);
  return notes.join(', ');
}

export const queriesPanel: PanelView = {
  id: 'queries',
  title: 'Queries',
  has: (record) => record.panels.queries !== undefined,
  summary: (record) => {
    const stats = record.panels.queries;
    if (stats === undefined) return '';
    const repeated = stats.repeated.length > 0 ? ` · ${formatCount(stats.repeated.length, 'repeated shape')}` : '';
    return `${stats.queries.length} · ${formatMs(stats.totalMs)}${repeated}`;
  },
  Detail: ({ record }) => {
    const stats = record.panels.queries;
    if (stats === undefined) return null;
    return (
      <>
        {stats.repeated.length > 0 && (
          <Section title="Repeated (N+1?)">
            <KeyValueTable rows={stats.repeated.map(({ shape, count }) => [`×${count}`, shape] as const)} />
          </Section>
        )}
        <Section title={`${stats.queries.length} in ${formatMs(stats.totalMs)}`}>
          <EntryTable
            rows={stats.queries}
            empty="No queries."
            columns={[
              { title: 'At', cell: (query) => at(query.startMs) },
              {
                title: 'Time',
                cell: (query) => <span class={query.slow ? 'message error' : ''}>{formatMs(query.durationMs)}</span>,
              },
              {
                title: 'Query',
                cell: (query) => (
                  <>
                    <span class="muted">{query.system} </span>
                    {query.text}
                    {query.params !== null && <div class="muted">{`params: ${query.params.join(', ')}`}</div>}
                    {query.error !== null && <div class="message error">{query.error}</div>}
                    {query.caller !== null && <div class="muted">{`from ${query.caller}`}</div>}
                  </>
                ),
              },
              { title: 'Rows', cell: (query) => (query.rows === null ? '–' : String(query.rows)) },
              { title: 'Flags', cell: flags },
            ]}
          />
          <p class="note">{`Slow means at least ${formatMs(stats.slowThresholdMs)}.`}</p>
          <Dropped count={stats.dropped} noun="queries" />
        </Section>
      </>
    );
  },
};
