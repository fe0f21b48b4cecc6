import type { LoupeRecord } from '../../../shared/record.js';
import { KeyValueTable } from '../KeyValueTable.js';
import { formatCount } from '../format.js';
import type { PanelView } from './panel-view.js';

function statsOf(record: LoupeRecord, id: string): Record<string, unknown> {
  const stats = (record.panels as Record<string, unknown>)[id];
  return typeof stats === 'object' && stats !== null ? (stats as Record<string, unknown>) : { value: stats };
}

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 1));

/** A panel this UI has no view for yet: its stats as name/value text. */
export function genericPanel(id: string): PanelView {
  return {
    id,
    title: id.charAt(0).toUpperCase() + id.slice(1),
    has: (record) => id in record.panels,
    summary: (record) => formatCount(Object.keys(statsOf(record, id)).length, 'field'),
    Detail: ({ record }) => (
      <KeyValueTable rows={Object.entries(statsOf(record, id)).map(([name, value]) => [name, asText(value)] as const)} />
    ),
  };
}
