/**
 * `npm run bench:memory`: 100k requests over loopback HTTP to an Express app with Loupe in
 * development mode and its default bounds (every request recorded and profiled), and the
 * server's heap and RSS growth against the configured budget, measured every 10k requests
 * after a full garbage collection; the same load on bare Express shows what is not Loupe's.
 *
 * The server runs in a child process started with --expose-gc, so that neither the load
 * generator's allocations nor garbage not yet collected count as growth.
 *
 *   npm run bench:memory                       100k requests
 *   MEMORY_REQUESTS=20000 npm run bench:memory fewer, for development
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import express from 'express';
import { loupe, type LoupeMiddleware, type StoreUsage } from 'loupe-toolbar';
import { DEFAULT_BOUNDS, DEFAULT_PROFILER } from '../../server-middleware/options.js';
import { ask, startServerChild } from './child.js';
import { fixed, machineLine, writeArtifact } from './report.js';

const REQUESTS = Number(process.env.MEMORY_REQUESTS ?? 100_000);
const STEPS = 10;
const MiB = 2 ** 20;
/** Loupe's configured memory: the store's byte bound plus what the profiler may keep of recent samples. */
const STORE_BUDGET = DEFAULT_BOUNDS.maxBytes;
const PROFILER_BUDGET = DEFAULT_PROFILER.retainBytes;

type Mode = 'loupe' | 'bare';

interface Sample {
  requests: number;
  heapUsed: number;
  /** The heap V8 has reserved: RSS beyond it is native memory (buffers, code, the CPU profile). */
  heapTotal: number;
  rss: number;
  external: number;
  store: StoreUsage | null;
}

/** The server side: the app, and its memory after a full collection whenever it is asked. */
function serve(mode: Mode) {
  const app = express();
  const middleware: LoupeMiddleware | null = mode === 'loupe' ? loupe({ mode: 'development' }) : null;
  if (middleware) app.use(middleware);
  app.get('/hello', (req, res) => {
    res.send(`hello ${String(req.query.n ?? '')}`);
  });
  const server = createServer(app);
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('message', (message) => {
    if (message !== 'memory') return;
    void (async () => {
      globalThis.gc?.();
      const { heapUsed, heapTotal, rss, external } = process.memoryUsage();
      process.send?.({ heapUsed, heapTotal, rss, external, store: middleware ? await middleware.store.usage() : null });
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

async function measure(mode: Mode): Promise<Sample[]> {
  const { child, port } = await startServerChild('./memory.ts', ['serve', mode], { execArgv: ['--expose-gc'] });
  try {
    const samples: Sample[] = [{ requests: 0, ...(await ask<Omit<Sample, 'requests'>>(child, 'memory')) }];
    const step = Math.ceil(REQUESTS / STEPS);
    for (let sent = 0; sent < REQUESTS; sent += step) {
      const result = await autocannon({
        // A query that differs per request, so that no two records are the same.
        url: `http://127.0.0.1:${port}/hello?n=[<id>]`,
        idReplacement: true,
        connections: 10,
        amount: step,
      });
      if (result.errors + result.non2xx > 0) throw new Error(`${mode}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
      samples.push({ requests: sent + step, ...(await ask<Omit<Sample, 'requests'>>(child, 'memory')) });
      process.stdout.write(`${mode}: ${sent + step} requests\n`);
    }
    return samples;
  } finally {
    child.kill();
  }
}

const mib = (bytes: number, width = 8) => fixed(bytes / MiB, 1, width);

function table(loupeSamples: Sample[], bareSamples: Sample[]): string {
  const lines = ['  requests   heap MiB   heap total   RSS MiB   external   store records   store MiB   bare heap   bare RSS'];
  loupeSamples.forEach((sample, i) => {
    const bare = bareSamples[i];
    lines.push(
      `  ${String(sample.requests).padStart(8)}${mib(sample.heapUsed, 11)}${mib(sample.heapTotal, 13)}${mib(sample.rss, 10)}${mib(sample.external, 11)}` +
        `${String(sample.store?.records ?? '-').padStart(16)}${mib(sample.store?.bytes ?? NaN, 12)}` +
        `${mib(bare?.heapUsed ?? NaN, 12)}${mib(bare?.rss ?? NaN, 11)}`,
    );
  });
  return lines.join('\n');
}

async function main() {
  const header = `Loupe memory bench: ${REQUESTS} requests, development mode, default bounds (${DEFAULT_BOUNDS.maxRecords} records / ${DEFAULT_BOUNDS.maxBytes / MiB} MiB / ${DEFAULT_BOUNDS.maxAgeMs / 60_000} min); ${machineLine()}`;
  console.log(header);
  const loupeSamples = await measure('loupe');
  const bareSamples = await measure('bare');
  const growth = (samples: Sample[], field: 'heapUsed' | 'rss') => samples.at(-1)![field] - samples[0]![field];
  const budget = STORE_BUDGET + PROFILER_BUDGET;
  const verdict = (field: 'heapUsed' | 'rss') => {
    const grown = growth(loupeSamples, field);
    const percent = (of: number) => `${((100 * grown) / of).toFixed(1)} %`;
    return `${mib(grown, 0)} MiB (bare Express ${mib(growth(bareSamples, field), 0)} MiB) = ${percent(budget)} of the budget (${percent(STORE_BUDGET)} of the store's alone): ${grown <= budget * 1.1 ? 'within' : 'OVER'} budget + 10 %`;
  };
  const summary = [
    `budget: store ${STORE_BUDGET / MiB} MiB + profiler ${PROFILER_BUDGET / MiB} MiB = ${budget / MiB} MiB`,
    `heap growth after ${REQUESTS} requests: ${verdict('heapUsed')}`,
    `RSS growth after ${REQUESTS} requests:  ${verdict('rss')}`,
    `store usage: ${JSON.stringify(loupeSamples.at(-1)!.store)}`,
  ].join('\n');
  const printed = table(loupeSamples, bareSamples);
  console.log(`\n${printed}\n\n${summary}`);
  const file = await writeArtifact('memory', { header, requests: REQUESTS, budget: { store: STORE_BUDGET, profiler: PROFILER_BUDGET }, table: printed, summary, loupe: loupeSamples, bare: bareSamples });
  console.log(`\nraw results: ${file}`);
}

if (process.argv[2] === 'serve') serve(process.argv[3] as Mode);
else await main();
