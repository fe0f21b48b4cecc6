import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server-middleware/stores/memory-store.js';
import { makeRecord } from '../support/records.js';

describe('memory store', () => {
  it('returns what was saved, and replaces a pending record by its complete one', () => {
    const store = new MemoryStore();
    const pending = makeRecord({ state: 'pending' });
    store.save(pending);
    expect(store.get(pending.id)?.state).toBe('pending');
    store.save({ ...pending, state: 'complete', durationMs: 5 });
    expect(store.get(pending.id)).toMatchObject({ id: pending.id, state: 'complete', durationMs: 5 });
    expect(store.usage().records).toBe(1);
  });

  it('never holds more records than its count bound, keeping the newest', () => {
    const store = new MemoryStore({ maxRecords: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const record = makeRecord({ state: i % 3 === 0 ? 'pending' : 'complete' });
      ids.push(record.id);
      store.save(record);
      expect(store.usage().records).toBeLessThanOrEqual(50);
    }
    expect(store.get(ids.at(-1)!)).toBeDefined();
    expect(store.get(ids[0]!)).toBeUndefined();
  });

  it('never holds more bytes than its byte bound', () => {
    const maxBytes = 200_000;
    const store = new MemoryStore({ maxBytes, maxRecords: 10_000 });
    for (let i = 0; i < 2_000; i++) {
      store.save(makeRecord({ padding: 2_000 + (i % 7) * 1_000 }));
      expect(store.usage().bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(store.usage().records).toBeGreaterThan(10);
    expect(store.usage().records).toBeLessThan(200);
  });

  it('forgets records older than its age bound', async () => {
    const store = new MemoryStore({ maxAgeMs: 60 });
    const old = makeRecord();
    const oldPending = makeRecord({ state: 'pending' });
    store.save(old);
    store.save(oldPending);
    await sleep(100);
    const fresh = makeRecord();
    store.save(fresh);
    expect(store.get(old.id)).toBeUndefined();
    expect(store.get(oldPending.id)).toBeUndefined();
    expect(store.get(fresh.id)).toBeDefined();
    expect(store.list(10).map((s) => s.id)).toEqual([fresh.id]);
  });

  it('lists summaries newest first, pending ones included, up to the limit', () => {
    const store = new MemoryStore();
    const now = Date.now();
    const a = makeRecord({ startedAt: now - 30 });
    const b = makeRecord({ startedAt: now - 20, state: 'pending' });
    const c = makeRecord({ startedAt: now - 10 });
    for (const record of [b, a, c]) store.save(record);
    // Reading a record does not reorder or evict anything.
    store.get(a.id);
    expect(store.list(10).map((s) => [s.id, s.state])).toEqual([
      [c.id, 'complete'],
      [b.id, 'pending'],
      [a.id, 'complete'],
    ]);
    expect(store.list(2)).toHaveLength(2);
    expect(store.list(1)[0]).toMatchObject({ method: 'GET', route: '/items/:id', status: 200 });
  });

  it('drops a record larger than the whole byte budget instead of growing', () => {
    const store = new MemoryStore({ maxBytes: 10_000 });
    const huge = makeRecord({ padding: 50_000 });
    store.save(huge);
    expect(store.get(huge.id)).toBeUndefined();
    expect(store.usage().bytes).toBe(0);
  });

  it('takes concurrent writers of interleaved records', async () => {
    const store = new MemoryStore({ maxRecords: 500 });
    await Promise.all(
      Array.from({ length: 10 }, async (_, writer) => {
        for (let i = 0; i < 40; i++) {
          const record = makeRecord({ state: 'pending' });
          store.save(record);
          await sleep(0);
          store.save({ ...record, state: 'complete', durationMs: writer });
        }
      }),
    );
    const summaries = store.list(1000);
    expect(summaries).toHaveLength(400);
    expect(summaries.every((s) => s.state === 'complete')).toBe(true);
  });
});
