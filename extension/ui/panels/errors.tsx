import { formatCount } from '../format.js';
import { Section } from '../KeyValueTable.js';
import { at, Dropped } from './entry-table.js';
import type { PanelView } from './panel-view.js';

export const errorsPanel: PanelView = {
  id: 'errors',
  title: 'Errors',
  has: (record) => (record.panels.errors?.errors.length ?? 0) > 0,
  summary: (record) => {
    const errors = record.panels.errors?.errors ?? [];
    return `${formatCount(errors.length, 'error')} · ${errors[0]?.message ?? ''}`;
  },
  Detail: ({ record }) => {
    const stats = record.panels.errors;
    if (stats === undefined) return null;
    return (
      <>
        {stats.errors.map((error, index) => (
          <Section key={index} title={`${error.name}: ${error.message}`}>
            <p class="note">
              {`${error.source === 'handler' ? 'In a handler' : 'Uncaught'} at ${at(error.atMs)}`}
              {error.sourceMapped ? ' · source-mapped' : ''}
            </p>
            <pre class="stack" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, fontSize: '11px' }}>
              {error.stack}
            </pre>
          </Section>
        ))}
        <Dropped count={stats.dropped} noun="errors" />
      </>
    );
  },
};
