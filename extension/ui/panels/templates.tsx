import { formatMs } from '../format.js';
import { KeyValueTable } from '../KeyValueTable.js';
import { at, Dropped, EntryTable } from './entry-table.js';
import type { PanelView } from './panel-view.js';

export const templatesPanel: PanelView = {
  id: 'templates',
  title: 'Templates',
  has: (record) => (record.panels.templates?.renders.length ?? 0) > 0,
  summary: (record) => {
    const renders = record.panels.templates?.renders ?? [];
    return `${renders.length} · ${renders.map((render) => render.name).join(', ')}`;
  },
  Detail: ({ record }) => {
    const templates = record.panels.templates;
    if (templates === undefined) return null;
    return (
      <section class="section">
        <EntryTable
          rows={templates.renders}
          empty="No templates rendered."
          columns={[
            { title: 'At', cell: (render) => at(render.startMs) },
            { title: 'Time', cell: (render) => formatMs(render.durationMs) },
            { title: 'Template', cell: (render) => `${render.name} (${render.engine || '?'})` },
            {
              title: 'Context',
              cell: (render) =>
                render.context === null ? (
                  render.contextKeys.join(', ')
                ) : (
                  <KeyValueTable rows={Object.entries(render.context)} />
                ),
            },
          ]}
        />
        {templates.renders.some((render) => render.error !== null) && (
          <p class="message error">{templates.renders.map((render) => render.error).filter(Boolean).join('; ')}</p>
        )}
        <Dropped count={templates.dropped} noun="renders" />
      </section>
    );
  },
};
