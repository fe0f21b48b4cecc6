/**
 * One instance of a fleet sharing a Redis store, started by the multi-instance test in its own
 * process: `fleet-app.ts <redis url> <prefix> <instance name>`. Reports its port over IPC once
 * its store is connected, and forwards Loupe's warnings.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loupe } from '../../server-middleware/index.js';
import type { RedisStore } from '../../server-middleware/stores/redis-store.js';

const [redisUrl, prefix, instance] = process.argv.slice(2) as [string, string, string];

function burn(iterations: number): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (x * 48271) % 2147483647;
  return x;
}

// Each instance burns CPU in a function of its own name, so the shared profile shows whose samples it holds.
function workOnInstanceA(): number {
  return burn(400_000);
}
function workOnInstanceB(): number {
  return burn(400_000);
}
const work = instance === 'a' ? workOnInstanceA : workOnInstanceB;

const middleware = loupe({
  mode: 'development',
  store: { redis: redisUrl, prefix },
  profile: { segmentMs: 200 },
  onError: (error, where) => process.send?.({ warning: `${where}: ${error instanceof Error ? error.message : String(error)}` }),
});
const app = express();
app.use(middleware);
app.get('/work', (_req, res) => {
  res.json({ instance, result: work() });
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
