import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../server-middleware/stores/file-store.js';
import { makeRecord } from '../support/records.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-file-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openStore(onError: (error: unknown, where: string) => void = () => {}): Promise<FileStore> {
  const store = new FileStore(dir, {}, onError);
  await store.ready;
  return store;
}

describe('file store', () => {
  it('survives a restart: records, their order and their profiles are read back', async () => {
    const first = await openStore();
    const older = makeRecord({ startedAt: Date.now() - 10 });
    const newer = makeRecord();
    first.save(older);
    first.save(newer);
    const expired = { status: 'expired', startUs: 0, endUs: 1, intervalMs: 1, samples: 0, sampledMs: 0, overlappingRequests: 0 } as const;
    await first.attachProfile(newer.id, { ...expired, topSelf: [], topCumulative: [] }, undefined);
    await first.close();

    const second = await openStore();
    expect(second.list(10).map((s) => s.id)).toEqual([newer.id, older.id]);
    expect(await second.get(older.id)).toEqual(older);
    expect((await second.get(newer.id))?.panels.profile?.status).toBe('expired');
    expect(second.usage().records).toBe(2);
    await second.close();
  });

  it('adopts record files written after the last index, and skips and reports corrupt ones', async () => {
    const first = await openStore();
    const kept = makeRecord();
    first.save(kept);
    await first.close();
    const late = makeRecord();
    await writeFile(join(dir, `${late.id}.json`), JSON.stringify(late));
    const broken = makeRecord();
    await writeFile(join(dir, `${broken.id}.json`), '{"id": "trunc');
    await writeFile(join(dir, 'index.json'), 'not json');

    const reports: string[] = [];
    const second = await openStore((error) => reports.push((error as Error).message));
    expect(second.list(10).map((s) => s.id).sort()).toEqual([kept.id, late.id].sort());
    expect(await second.get(broken.id)).toBeUndefined();
    expect(reports.join('\n')).toMatch(/corrupt index/);
    expect(reports.join('\n')).toMatch(new RegExp(`corrupt record ${broken.id}`));
    expect(await readdir(dir)).not.toContain(`${broken.id}.json`);
    await second.close();
  });

  it('accepts only record ids, so no path leaves its directory', async () => {
    const store = await openStore();
    expect(() => store.save({ ...makeRecord(), id: '../../../../etc/passwd' })).toThrow(/not a record id/);
    expect(await store.get('../index')).toBeUndefined();
    expect(await store.getProfile('..%2F..%2Fetc')).toBeUndefined();
    await store.close();
  });

  it('removes the files of evicted records from the disk', async () => {
    const store = new FileStore(dir, { maxRecords: 5 });
    await store.ready;
    for (let i = 0; i < 30; i++) store.save(makeRecord());
    await store.close();
    const files = (await readdir(dir)).filter((name) => name !== 'index.json');
    expect(files).toHaveLength(5);
  });
});
