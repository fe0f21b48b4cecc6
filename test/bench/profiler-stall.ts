/**
 * `npm run bench:profiler`: what the profiler costs the event loop with 100k compiled
 * functions loaded (the brief's worst case): its one start, every segment switch with its
 * processing, and the event loop's worst delay under load with and without Loupe.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import express from 'express';
import { loupe } from 'loupe-toolbar';

const FUNCTIONS = 100_000;
const SECONDS = Number(process.env.STALL_SECONDS ?? 8);

function loadFunctions(count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled code is the point here
    const compiled = new Function('x', `return x * ${i} + ${i % 7};`) as (x: number) => number;
    sum += compiled(1);
  }
  return sum;
}

function work(): number {
  let x = 1;
  for (let i = 0; i < 20_000; i++) x = (x * 48271) % 2147483647;
  return x;
}

async function measure(label: string, withLoupe: boolean) {
  const app = express();
  const middleware = withLoupe ? loupe({ mode: 'development' }) : null;
  if (middleware) app.use(middleware);
  app.get('/json', (_req, res) => {
    res.json({ x: work() });
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const result = await autocannon({ url: `http://127.0.0.1:${port}/json`, connections: 10, duration: SECONDS });
  delay.disable();
  const costs = middleware?.profiler?.costs;
  console.log(
    `${label.padEnd(14)} ${result.requests.average.toFixed(0).padStart(6)} req/s   event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms` +
      (costs
        ? `\n               profiler start ${costs.startMs.toFixed(1)} ms; ${costs.segments} segment switches, worst ${costs.worstSegmentMs.toFixed(2)} ms, mean ${(costs.totalSegmentMs / Math.max(1, costs.segments)).toFixed(2)} ms`
        : ''),
  );
  server.close();
  await middleware?.close();
}

const started = performance.now();
loadFunctions(FUNCTIONS);
console.log(`${FUNCTIONS} functions compiled in ${(performance.now() - started).toFixed(0)} ms; ${SECONDS} s of load each`);
await measure('without Loupe', false);
await measure('Loupe (dev)', true);
