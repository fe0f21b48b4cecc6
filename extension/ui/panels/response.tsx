import { formatBytes } from '../format.js';
import { KeyValueTable, Section, valueRows } from '../KeyValueTable.js';
import type { PanelView } from './panel-view.js';

export const responsePanel: PanelView = {
  id: 'response',
  title: 'Response',
  has: () => true,
  summary: ({ response, state }) =>
    [
      state === 'pending' ? 'streaming' : String(response.status || '–'),
      formatBytes(response.bytes),
      response.contentType?.split(';')[0],
      response.encoding,
    ]
      .filter(Boolean)
      .join(' · '),
  Detail: ({ record: { response, state, aborted } }) => (
    <>
      <Section title="General">
        <KeyValueTable
          rows={[
            ['Status', `${response.status} ${response.statusMessage}`],
            ['State', aborted ? 'aborted by the client' : state],
            ['Bytes sent', formatBytes(response.bytes)],
            ['Content type', response.contentType ?? '–'],
            ['Encoding', response.encoding ?? 'identity'],
            ['Streamed', response.streamed ? 'yes (chunked)' : 'no'],
          ]}
        />
      </Section>
      <Section title="Headers">
        <KeyValueTable rows={valueRows(response.headers)} />
      </Section>
    </>
  ),
};
