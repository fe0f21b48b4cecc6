import type { TimelineEntry, TimelineKind } from '../../../shared/panels.js';
import type { LoupeRecord } from '../../../shared/record.js';
import { formatCount, formatMs } from '../format.js';
import { Dropped } from './entry-table.js';
import type { PanelView } from './panel-view.js';

const COLOURS: Record<TimelineKind, string> = {
  middleware: '#71717a',
  handler: '#60a5fa',
  query: '#f59e0b',
  http: '#34d399',
  template: '#c084fc',
  gc: '#f87171',
  span: '#38bdf8',
  mark: '#facc15',
};

/** One waterfall row: its label, and a bar placed on the request's time axis. */
function Row({ entry, totalMs }: { entry: TimelineEntry; totalMs: number }) {
  const scale = totalMs > 0 ? 100 / totalMs : 0;
  const left = Math.min(100, entry.startMs * scale);
  const width = entry.durationMs === null ? 100 - left : Math.min(100 - left, entry.durationMs * scale);
  return (
    <tr data-kind={entry.kind}>
      <th scope="row" title={entry.name}>
        <span class="muted">{entry.kind} </span>
        {entry.name}
      </th>
      <td>
        <div style={{ position: 'relative', height: '10px' }}>
          <div
            style={{
              position: 'absolute',
              left: `${left}%`,
              width: entry.kind === 'mark' ? '2px' : `max(2px, ${width}%)`,
              top: '1px',
              bottom: '1px',
              background: COLOURS[entry.kind],
            }}
          />
        </div>
        <span class="muted">{`${formatMs(entry.startMs)} · ${entry.kind === 'mark' ? 'mark' : formatMs(entry.durationMs)}`}</span>
      </td>
    </tr>
  );
}

/** The timeline's entries with the timer panel's GC pauses drawn in on the same axis. */
function entriesOf(record: LoupeRecord): TimelineEntry[] {
  const gcs = (record.panels.timer?.gcPauses ?? []).map(
    (pause): TimelineEntry => ({ kind: 'gc', name: `GC (${pause.kind})`, startMs: pause.startMs, durationMs: pause.durationMs }),
  );
  return [...(record.panels.timeline?.entries ?? []), ...gcs].sort((a, b) => a.startMs - b.startMs);
}

export const timelinePanel: PanelView = {
  id: 'timeline',
  title: 'Timeline',
  has: (record) => record.panels.timeline !== undefined,
  summary: (record) => formatCount(entriesOf(record).length, 'entry', 'entries'),
  Detail: ({ record }) => {
    const timeline = record.panels.timeline;
    if (timeline === undefined) return null;
    const entries = entriesOf(record);
    if (entries.length === 0) return <p class="empty section">Nothing was traced in this request.</p>;
    return (
      <section class="section">
        <p class="note">{`0 → ${formatMs(timeline.totalMs)}`}</p>
        <table class="kv waterfall">
          <tbody>
            {entries.map((entry, index) => (
              <Row key={index} entry={entry} totalMs={timeline.totalMs} />
            ))}
          </tbody>
        </table>
        <Dropped count={timeline.dropped} noun="entries" />
      </section>
    );
  },
};
