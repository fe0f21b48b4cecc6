import { formatBytes, formatMs } from '../format.js';
import { at, Dropped, EntryTable } from './entry-table.js';
import type { PanelView } from './panel-view.js';

/** Only the other side's own http(s) API becomes a link: recorded data never picks a scheme. */
const isHttpUrl = (url: string) => /^https?:\/\//.test(url);

export const outboundPanel: PanelView = {
  id: 'outbound',
  title: 'Outbound HTTP',
  has: (record) => (record.panels.outbound?.calls.length ?? 0) > 0,
  summary: (record) => {
    const calls = record.panels.outbound?.calls ?? [];
    const ms = calls.reduce((sum, call) => sum + (call.durationMs ?? 0), 0);
    return `${calls.length} · ${formatMs(ms)}`;
  },
  Detail: ({ record }) => {
    const outbound = record.panels.outbound;
    if (outbound === undefined) return null;
    return (
      <section class="section">
        <EntryTable
          rows={outbound.calls}
          empty="No outbound calls."
          columns={[
            { title: 'At', cell: (call) => at(call.startMs) },
            { title: 'Status', cell: (call) => (call.error === null ? String(call.status || '–') : 'failed') },
            {
              title: 'Call',
              cell: (call) => (
                <>
                  {`${call.method} ${call.url}`}
                  {call.error !== null && <div class="message error">{call.error}</div>}
                </>
              ),
            },
            { title: 'Time', cell: (call) => formatMs(call.durationMs) },
            { title: 'Size', cell: (call) => formatBytes(call.bytes) },
            {
              title: 'Loupe',
              cell: (call) =>
                call.loupe !== null && isHttpUrl(call.loupe.url) ? (
                  <a href={call.loupe.url} target="_blank" rel="noreferrer" data-loupe-link={call.loupe.id}>
                    {call.loupe.id.slice(0, 8)}
                  </a>
                ) : (
                  ''
                ),
            },
          ]}
        />
        <Dropped count={outbound.dropped} noun="calls" />
      </section>
    );
  },
};
