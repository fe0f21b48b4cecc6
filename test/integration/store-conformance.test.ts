import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CpuProfile, ProfileStats } from '../../shared/profile.js';
import { makeRecord } from '../support/records.js';
import { useRedis } from '../support/redis.js';
import { storeFactory, type StoreKind } from '../support/stores.js';

const redis = useRedis();

const STATS: ProfileStats = {
  status: 'ready',
  startUs: 1,
  endUs: 2,
  intervalMs: 1,
  samples: 3,
  sampledMs: 3,
  overlappingRequests: 0,
  topSelf: [],
  topCumulative: [],
};

const CPU_PROFILE: CpuProfile = {
  nodes: [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: 0, columnNumber: 0 } }],
  startTime: 0,
  endTime: 3000,
  samples: [1, 1, 1],
  timeDeltas: [1000, 1000, 1000],
};

/** The same behaviour from every store, whatever it keeps records in. */
describe.each<StoreKind>(['memory', 'file', 'redis'])('%s store conformance', (kind) => {
  const stores = storeFactory(kind, redis);
  afterEach(() => stores.cleanup());

  it('returns what was saved, and replaces a pending record by its complete one', async () => {
    const store = await stores.create();
    const pending = makeRecord({ state: 'pending' });
    await store.save(pending);
    expect((await store.get(pending.id))?.state).toBe('pending');
    await store.save({ ...pending, state: 'complete', durationMs: 5 });
    expect(await store.get(pending.id)).toMatchObject({ id: pending.id, state: 'complete', durationMs: 5 });
    expect((await store.usage()).records).toBe(1);
    expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  it('never holds more records than its count bound, keeping the newest', async () => {
    const store = await stores.create({ maxRecords: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const record = makeRecord({ state: i % 10 === 0 ? 'pending' : 'complete' });
      ids.push(record.id);
      await store.save(record);
      if (i % 25 === 0) expect((await store.usage()).records).toBeLessThanOrEqual(50);
    }
    expect((await store.usage()).records).toBe(50);
    expect(await store.get(ids.at(-1)!)).toBeDefined();
    // ids[1] is the oldest complete record (pending ones are responses still in flight).
    expect(await store.get(ids[1]!)).toBeUndefined();
  });

  it('never holds more bytes than its byte bound', async () => {
    const maxBytes = 200_000;
    const store = await stores.create({ maxBytes, maxRecords: 10_000 });
    for (let i = 0; i < 400; i++) {
      await store.save(makeRecord({ padding: 2_000 + (i % 7) * 1_000 }));
      if (i % 20 === 0) expect((await store.usage()).bytes).toBeLessThanOrEqual(maxBytes);
    }
    const usage = await store.usage();
    expect(usage.bytes).toBeLessThanOrEqual(maxBytes);
    expect(usage.records).toBeGreaterThan(10);
    expect(usage.records).toBeLessThan(200);
  });

  it('drops a record larger than the whole byte budget instead of growing', async () => {
    const store = await stores.create({ maxBytes: 10_000 });
    const huge = makeRecord({ padding: 50_000 });
    await store.save(huge);
    expect(await store.get(huge.id)).toBeUndefined();
    expect((await store.usage()).bytes).toBe(0);
  });

  it('forgets records older than its age bound (the TTL)', async () => {
    const store = await stores.create({ maxAgeMs: 300 });
    const old = makeRecord();
    const oldPending = makeRecord({ state: 'pending' });
    await store.save(old);
    await store.save(oldPending);
    await sleep(400);
    const fresh = makeRecord();
    await store.save(fresh);
    expect(await store.get(old.id)).toBeUndefined();
    expect(await store.get(oldPending.id)).toBeUndefined();
    expect(await store.get(fresh.id)).toBeDefined();
    expect((await store.list(10)).map((s) => s.id)).toEqual([fresh.id]);
  });

  it('lists summaries newest first, pending ones included, up to the limit', async () => {
    const store = await stores.create();
    const now = Date.now();
    const a = makeRecord({ startedAt: now - 30 });
    const b = makeRecord({ startedAt: now - 20, state: 'pending' });
    const c = makeRecord({ startedAt: now - 10 });
    for (const record of [b, a, c]) await store.save(record);
    await store.get(a.id);
    expect((await store.list(10)).map((s) => [s.id, s.state])).toEqual([
      [c.id, 'complete'],
      [b.id, 'pending'],
      [a.id, 'complete'],
    ]);
    expect(await store.list(2)).toHaveLength(2);
    expect((await store.list(1))[0]).toMatchObject({ method: 'GET', route: '/items/:id', status: 200 });
  });

  it('attaches a profile to a complete record and returns its .cpuprofile', async () => {
    const store = await stores.create();
    const record = makeRecord();
    await store.save(record);
    await store.attachProfile(record.id, STATS, CPU_PROFILE);
    expect((await store.get(record.id))?.panels.profile).toEqual(STATS);
    expect(await store.getProfile(record.id)).toEqual(CPU_PROFILE);
    const unknown = makeRecord();
    await store.attachProfile(unknown.id, STATS, CPU_PROFILE);
    expect(await store.get(unknown.id)).toBeUndefined();
    expect(await store.getProfile(unknown.id)).toBeUndefined();
  });

  it('takes concurrent writers of interleaved records', async () => {
    const store = await stores.create({ maxRecords: 500 });
    await Promise.all(
      Array.from({ length: 10 }, async (_, writer) => {
        for (let i = 0; i < 40; i++) {
          const record = makeRecord({ state: 'pending' });
          await store.save(record);
          await sleep(0);
          await store.save({ ...record, state: 'complete', durationMs: writer });
        }
      }),
    );
    const summaries = await store.list(1000);
    expect(summaries).toHaveLength(400);
    expect(summaries.every((s) => s.state === 'complete')).toBe(true);
  });
});
