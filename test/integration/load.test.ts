import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS } from '../../server-middleware/options.js';
import { startAppChild, type AppChild } from '../support/app-child.js';

const MiB = 2 ** 20;
const CONNECTIONS = 100;
const WARM_UP = 5_000;
/** 50,000 requests in all: the warm-up and three measured rounds. */
const ROUND = 15_000;

async function load(app: AppChild, amount: number): Promise<autocannon.Result> {
  return autocannon({
    url: app.url,
    connections: CONNECTIONS,
    amount,
    timeout: 30,
    requests: [{ path: '/api/items' }, { path: '/text?q=1' }, { path: '/api/items/2' }, { path: '/missing' }],
  });
}

let app: AppChild;
beforeAll(async () => {
  // Profile segments stay for retainMs whatever the traffic; a short retention lets the heap
  // settle within the test, so that growth would mean a leak, not the retention window.
  app = await startAppChild({ mode: 'development', profile: { retainMs: 3000 } });
});
afterAll(() => app.close());

describe('load in development mode', () => {
  it(`${WARM_UP + 3 * ROUND} requests at concurrency ${CONNECTIONS}: no errors, stores within bounds, heap flat`, { timeout: 600_000 }, async () => {
    const warmUp = await load(app, WARM_UP);
    expect(warmUp.errors + warmUp.timeouts).toBe(0);
    const heaps = [(await app.heap()).heapUsed];
    const rates: number[] = [];
    for (let round = 0; round < 3; round++) {
      const result = await load(app, ROUND);
      // '/missing' is the app's own 404; everything else must be a 200.
      expect(result.errors, 'socket errors').toBe(0);
      expect(result.timeouts, 'timeouts').toBe(0);
      expect(result['2xx'] + result['4xx']).toBe(ROUND);
      expect(result['4xx']).toBeLessThanOrEqual(Math.ceil(ROUND / 4) + CONNECTIONS);
      rates.push(result.requests.average);
      heaps.push((await app.heap()).heapUsed);
      const usage = (await app.usage())!;
      expect(usage.records).toBeLessThanOrEqual(DEFAULT_BOUNDS.maxRecords);
      expect(usage.bytes).toBeLessThanOrEqual(DEFAULT_BOUNDS.maxBytes);
    }
    const mb = heaps.map((bytes) => (bytes / MiB).toFixed(1));
    console.info(`load: ${rates.map((rate) => rate.toFixed(0)).join(', ')} requests/s per round; heap after GC ${mb.join(' → ')} MiB`);
    expect(app.alive()).toBe(true);
    expect(await app.errors()).toEqual([]);
    // Flat: the third round adds no more than noise to the first.
    expect((heaps[3]! - heaps[1]!) / MiB, `heap after warm-up and each round: ${mb.join(', ')} MiB`).toBeLessThan(5);
    expect((heaps[3]! - heaps[0]!) / MiB, `heap after warm-up and each round: ${mb.join(', ')} MiB`).toBeLessThan(10);
  });
});
