import { KeyValueTable, Section, valueRows } from '../KeyValueTable.js';
import type { PanelView } from './panel-view.js';

export const versionsPanel: PanelView = {
  id: 'versions',
  title: 'Versions',
  has: (record) => record.panels.versions !== undefined,
  summary: (record) => {
    const versions = record.panels.versions;
    return versions === undefined ? '' : `Node ${versions.node.replace(/^v/, '')}`;
  },
  Detail: ({ record }) => {
    const versions = record.panels.versions;
    if (versions === undefined) return null;
    return (
      <>
        <Section title="Runtime">
          <KeyValueTable
            rows={[
              ['Node', versions.node],
              ['V8', versions.v8],
              ['Loupe', versions.loupe ?? '–'],
              ['Express', versions.express ?? '–'],
              ['Platform', `${versions.platform} ${versions.arch}`],
              ['PID', String(versions.pid)],
            ]}
          />
        </Section>
        <Section title="Loupe settings">
          <KeyValueTable rows={Object.entries(versions.settings).map(([name, value]) => [name, String(value)] as const)} />
        </Section>
        {versions.environment !== undefined && (
          <Section title="Environment (secrets redacted)">
            <KeyValueTable rows={valueRows(versions.environment)} />
          </Section>
        )}
      </>
    );
  },
};
