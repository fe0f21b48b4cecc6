import { describe, expect, it } from 'vitest';
import type { VersionsStats } from '../../shared/panels.js';
import { recordJson } from '../../server-middleware/stores/record-json.js';
import { makeRecord } from '../support/records.js';

describe('recordJson', () => {
  it('serialises a record as JSON.stringify does, up to key order', () => {
    const record = makeRecord();
    record.panels = { timer: undefined, logs: { entries: [{ message: 'a "quoted" line\n' }], dropped: 0 } } as never;
    expect(JSON.parse(recordJson(record))).toEqual(JSON.parse(JSON.stringify(record)));
    const empty = makeRecord();
    expect(JSON.parse(recordJson(empty))).toEqual(empty);
  });

  it('gives every record its shared frozen panel', () => {
    const versions = Object.freeze({ node: '20', environment: { HOME: '/root' } }) as unknown as VersionsStats;
    const first = makeRecord();
    const second = makeRecord();
    first.panels = { versions };
    second.panels = { versions };
    expect(JSON.parse(recordJson(first)).panels.versions).toEqual(versions);
    expect(JSON.parse(recordJson(second))).toMatchObject({ id: second.id, panels: { versions } });
  });
});
