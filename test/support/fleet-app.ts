/**
 * One instance of a fleet sharing a Redis store, started by the multi-instance test in its own
 * process: `fleet-app.ts <redis url> <prefix> <instance name> [profiler settings as JSON]`.
 * Reports its port over IPC once its store is connected, and forwards Loupe's warnings. The
 * message `'close'` closes Loupe gracefully, then the process exits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loupe } from '../../server-middleware/index.js';
import type { RedisStore } from '../../server-middleware/stores/redis-store.js';

const [redisUrl, prefix, instance, profileJson] = process.argv.slice(2) as [string, string, string, string | undefined];

// Each instance burns CPU in the loop of a function of its own name (instance `b` in B's, any
// other in A's), so that a profile shows whose samples it holds: by cumulative and self time.
function workOnInstanceA(until: number, x = 1): number {
  while (performance.now() < until) for (let i = 0; i < 10_000; i++) x = (x * 48271) % 2147483647;
  return x;
}
function workOnInstanceB(until: number, x = 1): number {
  while (performance.now() < until) for (let i = 0; i < 10_000; i++) x = (x * 48271) % 2147483647;
  return x;
}
const work = instance === 'b' ? workOnInstanceB : workOnInstanceA;

const middleware = loupe({
  mode: 'development',
  store: { redis: redisUrl, prefix },
  profile: { segmentMs: 200, ...(profileJson === undefined ? {} : (JSON.parse(profileJson) as object)) },
  onError: (error, where) => process.send?.({ warning: `${where}: ${error instanceof Error ? error.message : String(error)}` }),
});
const app = express();
app.use(middleware);
app.get('/work', (req, res) => {
  res.json({ instance, result: work(performance.now() + Number(req.query.ms ?? 5)) });
});
app.get('/hello', (_req, res) => {
  res.send(`hello from ${instance}`);
});

await (middleware.store as RedisStore).ready;
const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message === 'close') void middleware.close().then(() => process.exit(0));
});
