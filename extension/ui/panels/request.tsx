import { formatBytes } from '../format.js';
import { KeyValueTable, Section, valueRows } from '../KeyValueTable.js';
import type { PanelView } from './panel-view.js';

export const requestPanel: PanelView = {
  id: 'request',
  title: 'Request',
  has: () => true,
  summary: ({ request }) => `${request.method} ${request.route ?? request.path}`,
  Detail: ({ record: { request } }) => (
    <>
      <Section title="General">
        <KeyValueTable
          rows={[
            ['Method', request.method],
            ['URL', request.url],
            ['Route', request.route ?? '–'],
            ['HTTP', request.httpVersion],
            ['Client', request.clientIp ?? '–'],
            ['Body', formatBytes(request.bodyBytes)],
          ]}
        />
      </Section>
      <Section title="Query">
        <KeyValueTable rows={valueRows(request.query)} />
      </Section>
      <Section title="Headers">
        <KeyValueTable rows={valueRows(request.headers)} />
      </Section>
      <Section title="Cookies">
        <KeyValueTable rows={valueRows(request.cookies)} />
      </Section>
      {request.body != null && (
        <Section title="Body">
          <KeyValueTable
            rows={[
              ['Type', request.body.contentType ?? '–'],
              ['Received', `${formatBytes(request.body.bytes)}${request.body.truncated ? ' (only the first part kept)' : ''}`],
              ['Text', request.body.text ?? '(binary or encoded: not kept as text)'],
            ]}
          />
        </Section>
      )}
    </>
  ),
};
