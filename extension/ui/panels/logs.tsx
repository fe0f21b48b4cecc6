import type { LogEntry } from '../../../shared/panels.js';
import { at, Dropped, EntryTable } from './entry-table.js';
import type { PanelView } from './panel-view.js';

const fieldsText = (fields: LogEntry['fields']) =>
  fields === null ? '' : Object.entries(fields).map(([name, value]) => `${name}=${value}`).join(' ');

const LOUD = new Set(['warn', 'error', 'fatal']);

export const logsPanel: PanelView = {
  id: 'logs',
  title: 'Logs',
  has: (record) => record.panels.logs !== undefined,
  summary: (record) => {
    const entries = record.panels.logs?.entries ?? [];
    const loud = entries.filter((entry) => LOUD.has(entry.level)).length;
    return `${entries.length} logged${loud > 0 ? ` · ${loud} warn/error` : ''}`;
  },
  Detail: ({ record }) => {
    const logs = record.panels.logs;
    if (logs === undefined) return null;
    return (
      <section class="section">
        <EntryTable
          rows={logs.entries}
          empty="Nothing was logged while this request ran."
          columns={[
            { title: 'At', cell: (entry) => at(entry.atMs) },
            { title: 'Level', cell: (entry) => <span class={LOUD.has(entry.level) ? 'message error' : ''}>{entry.level}</span> },
            { title: 'Source', cell: (entry) => entry.source },
            {
              title: 'Message',
              cell: (entry) => (
                <>
                  {entry.message}
                  {entry.fields !== null && <div class="muted">{fieldsText(entry.fields)}</div>}
                </>
              ),
            },
          ]}
        />
        <Dropped count={logs.dropped} noun="log entries" />
      </section>
    );
  },
};
