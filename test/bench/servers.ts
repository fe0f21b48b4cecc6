/** Starting, pinning and loading the bench's servers: what `run.ts` and `paired.ts` share. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startServerChild, type ServerChild } from './child.js';
import { quantile } from './report.js';
import { BENCH_KEY, type Route, type Variant } from './variants.js';

/**
 * Few connections: the server's one core is saturated by a handful, and more only queue
 * requests, which makes latency measure the queue. `stream` waits 50 ms per response, so it
 * needs more connections to keep the server busy at all.
 */
export const CONNECTIONS: Record<Route, number> = { hello: 4, json: 4, stream: 50 };

/** One load of one server. */
export interface Load {
  requestsPerSecond: number;
  /** Latency percentiles in ms, from every response's own time (autocannon's are whole ms). */
  p50: number;
  p99: number;
  /** The server process's CPU time (all threads) per response, in µs. */
  cpuPerRequest: number;
  responses: number;
  errors: number;
  non2xx: number;
}

/**
 * With two CPUs or more and `taskset`, the servers run on CPU 0 and the load generator (this
 * process) on CPU 1, so that they do not take turns on one core. Says whether, and how for the header.
 * BENCH_PIN=off leaves the scheduler free, for when other work keeps one of the CPUs busy.
 */
export function pinLoadGenerator(): { pinned: boolean; description: string } {
  const unpinned = (why: string) => ({ pinned: false, description: `not pinned (${why})` });
  if (process.env.BENCH_PIN === 'off') return unpinned('BENCH_PIN=off');
  if (cpus().length < 2) return unpinned('one CPU');
  try {
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
    return { pinned: true, description: 'servers pinned to CPU 0, load generator to CPU 1 (taskset)' };
  } catch {
    return unpinned('no taskset');
  }
}

export async function startVariant(variant: Variant, pinned: boolean): Promise<ServerChild> {
  const server = await startServerChild('./app-process.ts', [variant], {
    // Tracing has to be in place before the app imports http and express.
    execArgv: variant === 'otel' ? ['--import', fileURLToPath(new URL('./otel.ts', import.meta.url))] : [],
    env: { NODE_ENV: variant === 'dev' ? 'development' : 'production' },
  });
  // All of its threads, the ones started so far; later ones inherit the main thread's CPU.
  if (pinned) execFileSync('taskset', ['-a', '-cp', '0', String(server.child.pid)], { stdio: 'ignore' });
  return server;
}

/**
 * CPU time the process `pid` has run, all threads, in ns (Linux's schedstat); NaN elsewhere.
 * Other work on the machine takes CPU away from the server, which lowers its requests/s but
 * hardly changes the CPU each request costs: the steadier measure on a shared machine.
 */
function cpuNanoseconds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce(
      (sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]),
      0,
    );
  } catch {
    return NaN;
  }
}

export async function loadServer({ child, port }: ServerChild, variant: Variant, route: Route, seconds: number) {
  const latencies: number[] = [];
  const cpuBefore = cpuNanoseconds(child.pid!);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}/${route}`,
        connections: CONNECTIONS[route],
        duration: seconds,
        headers: variant === 'prod-keyed' ? { 'x-loupe-key': BENCH_KEY } : {},
      },
      (error: unknown, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const cpuNs = cpuNanoseconds(child.pid!) - cpuBefore;
  return {
    requestsPerSecond: latencies.length / result.duration,
    cpuPerRequest: cpuNs / 1000 / latencies.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    responses: latencies.length,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The names listed in `filter` (comma-separated), always with `required`; all when unset. */
export function chosen<T extends string>(all: T[], filter: string | undefined, required?: T): T[] {
  if (filter === undefined || filter === '') return all;
  const wanted = new Set(filter.split(','));
  return all.filter((name) => name === required || wanted.has(name));
}
