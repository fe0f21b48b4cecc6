import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { instrument } from '../../server-middleware/index.js';
import { rawRequest } from '../support/http.js';
import { useRedis } from '../support/redis.js';
import { recordOf, useLoupeApps } from './panels-app.js';

const startApp = useLoupeApps();
const REQUESTS = 50;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redis = useRedis();

describe('attribution under concurrency', () => {
  it(`${REQUESTS} overlapping requests each hold exactly their own logs, queries and outbound calls`, async () => {
    const db = instrument(new Database(':memory:'));
    db.exec('CREATE TABLE numbers (n INTEGER PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO numbers (n) VALUES (?)');
    for (let n = 0; n < REQUESTS; n++) insert.run(n);
    const cache = new Redis(redis().url, { lazyConnect: true });
    await cache.connect();
    const other = await startApp((app) => {
      app.get('/echo/:n', async (req, res) => {
        await delay(Math.random() * 10);
        res.send(req.params.n);
      });
    });
    const app = await startApp((app) => {
      app.get('/work/:n', async (req, res) => {
        const n = Number(req.params.n);
        console.debug(`request ${n} starts`);
        // Random pauses make the requests' steps interleave.
        await delay(Math.random() * 20);
        db.prepare('SELECT n FROM numbers WHERE n = ?').get(n);
        await cache.get(`key:${n}`);
        await delay(Math.random() * 20);
        const echoed = await (await fetch(`${other.url}/echo/${n}`)).text();
        console.debug(`request ${n} got ${echoed}`);
        res.send(echoed);
      });
    });
    try {
      const responses = await Promise.all(Array.from({ length: REQUESTS }, (_, n) => rawRequest(`${app.url}/work/${n}`)));
      const records = await Promise.all(responses.map((response) => recordOf(app.url, response)));
      const overlapped = records.filter((record) => record.panels.timer!.concurrentRequests > 0);
      expect(overlapped.length).toBeGreaterThan(REQUESTS / 2);
      records.forEach((record, n) => {
        expect(responses[n]!.body.toString()).toBe(String(n));
        const { logs, queries, outbound } = record.panels;
        expect(logs!.entries.map((entry) => entry.message)).toEqual([`request ${n} starts`, `request ${n} got ${n}`]);
        expect(queries!.queries.map((query) => `${query.system} ${query.text} ${query.params?.join(',') ?? ''}`)).toEqual([
          `sqlite SELECT n FROM numbers WHERE n = ? ${n}`,
          `redis get key:${n} `,
        ]);
        expect(outbound!.calls.map((call) => call.url)).toEqual([`${other.url}/echo/${n}`]);
      });
    } finally {
      cache.disconnect();
    }
  });
});
