import type { LoupeRecord } from '../../shared/record.js';
import { panelsOf, type PanelView } from './panels/index.js';

/** One line per panel; a click opens the panel's detail. */
export function PanelList({ record, onOpen }: { record: LoupeRecord; onOpen: (panel: PanelView) => void }) {
  return (
    <ul class="panels">
      {panelsOf(record).map((panel) => (
        <li key={panel.id}>
          <button type="button" class="panel-row" data-panel={panel.id} onClick={() => onOpen(panel)}>
            <span class="panel-title">{panel.title}</span>
            <span class="panel-summary">{panel.summary(record)}</span>
            <span class="chevron" aria-hidden="true">›</span>
          </button>
        </li>
      ))}
      {record.skipped.map(({ panel, reason }) => (
        <li key={`skipped-${panel}`} class="panel-row skipped" title={reason}>
          <span class="panel-title">{panel}</span>
          <span class="panel-summary">skipped: {reason}</span>
        </li>
      ))}
    </ul>
  );
}
