import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILER } from '../../server-middleware/options.js';
import { AccumulatedProfile } from '../../server-middleware/profiler/accumulated-profile.js';
import { RedisStore } from '../../server-middleware/stores/redis-store.js';
import { makeRecord } from '../support/records.js';
import { startRedis, type RunningRedis } from '../support/redis.js';

let redis: RunningRedis;
const stores: RedisStore[] = [];

async function connectedStore(prefix: string): Promise<RedisStore> {
  const store = new RedisStore({ redis: redis.url, prefix });
  stores.push(store);
  await store.ready;
  return store;
}

beforeAll(async () => {
  redis = await startRedis();
}, 300_000);

afterAll(async () => {
  for (const store of stores) await store.close();
  await redis?.stop();
});

describe('Redis store', () => {
  it('keeps every key under its prefix, in one Redis Cluster hash slot', async () => {
    const store = await connectedStore('keys-test');
    const record = makeRecord();
    store.save(record);
    store.sampleCounter(20).next();
    const profile = new AccumulatedProfile(1, DEFAULT_PROFILER);
    profile.addRequest('GET /items/:id');
    await store.profileSink.add(profile.toFile());
    await sleep(50);
    const client = createClient({ url: redis.url });
    await client.connect();
    const keys = await client.keys('*keys-test*');
    await client.quit();
    expect(keys.length).toBeGreaterThanOrEqual(5);
    expect(keys.every((key) => key.startsWith('{keys-test}:'))).toBe(true);
  });

  it('samples exactly one request in N across processes sharing the counter', async () => {
    const [first, second] = [await connectedStore('counter-test'), await connectedStore('counter-test')];
    const counters = [first.sampleCounter(20), second.sampleCounter(20)];
    // The first call of each reserves its first block (and counts locally meanwhile).
    counters.forEach((counter) => counter.next());
    await sleep(50);
    let sampled = 0;
    for (let i = 0; i < 400; i++) {
      if (counters[i % 2]!.next()) sampled++;
      // Between requests the event loop turns, and the next block arrives before it is needed.
      if (i % 10 === 0) await sleep(1);
    }
    expect(sampled).toBe(20);
  });
});
