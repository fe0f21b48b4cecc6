/**
 * One variant of the bench app, started by `run.ts` in its own process. It imports Loupe as
 * a user would, from the built package, and reports its port over IPC.
 */
import { createServer } from 'node:http';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loupe } from 'loupe-toolbar';
import { BENCH_KEY, type Variant } from './variants.js';

const BURN_ITERATIONS = 45_000;

function burnAboutOneMillisecond(): number {
  let x = 1;
  for (let i = 0; i < BURN_ITERATIONS; i++) x = (x * 48271) % 2147483647;
  return x;
}

/**
 * V8 runs slower while any CPU profile is being taken, at any sampling interval: this is the
 * part of the production default's cost that no profiler built on V8's can avoid.
 */
function startV8Profiler(intervalMs: number): void {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: intervalMs * 1000 });
  session.post('Profiler.start');
}

const variant = process.argv[2] as Variant;
const app = express();
if (variant === 'noop') app.use((_req, _res, next) => next());
if (variant === 'v8-profiler') startV8Profiler(10);
if (variant === 'prod-nokey') app.use(loupe({ mode: 'production', keys: [BENCH_KEY], sampleEvery: 0 }));
if (variant === 'prod-default' || variant === 'prod-keyed') app.use(loupe({ mode: 'production', keys: [BENCH_KEY] }));
if (variant === 'dev') app.use(loupe({ mode: 'development' }));

app.get('/hello', (_req, res) => {
  res.send('hello world');
});
app.get('/json', (_req, res) => {
  res.json({ result: burnAboutOneMillisecond(), items: [1, 2, 3] });
});
app.get('/stream', (_req, res) => {
  res.type('text/plain');
  let chunk = 0;
  const timer = setInterval(() => {
    chunk++;
    if (chunk < 5) res.write(`chunk ${chunk}\n`);
    else {
      clearInterval(timer);
      res.end('done\n');
    }
  }, 10);
});

const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
