/**
 * `npm run bench`: the bench app in each variant, each in its own process, loaded in turn by
 * autocannon from this process, round after round, so that every variant sees the same
 * machine conditions. Prints median requests/s and p50/p99 latency per route, each as a
 * ratio to bare Express from the same rounds, and writes the raw results as JSON.
 *
 *   npm run bench            5 rounds of 3 s per variant and route
 *   npm run bench -- --quick 2 rounds of 1 s, for development
 *   BENCH_VARIANTS=bare,dev BENCH_ROUTES=hello npm run bench   only these (bare is always run)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BENCH_KEY, ROUTES, VARIANTS, type Route, type Variant } from './variants.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const SECONDS = quick ? 1 : 3;
const CONNECTIONS: Record<Route, number> = { hello: 10, json: 10, stream: 50 };

interface Cell {
  round: number;
  variant: Variant;
  route: Route;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function startVariant(variant: Variant): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./app-process.ts', import.meta.url)), [variant], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: variant === 'dev' ? 'development' : 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, port: message.port };
}

async function load(port: number, variant: Variant, route: Route, seconds: number) {
  return autocannon({
    url: `http://127.0.0.1:${port}/${route}`,
    connections: CONNECTIONS[route],
    duration: seconds,
    headers: variant === 'prod-keyed' ? { 'x-loupe-key': BENCH_KEY } : {},
  });
}

/** NaN (a ratio to a zero latency) is left out; all NaN gives NaN, printed as "-". */
const median = (values: number[]) => {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The names listed in `filter` (comma-separated), always with `required`; all when unset. */
function chosen<T extends string>(all: T[], filter: string | undefined, required?: T): T[] {
  if (filter === undefined || filter === '') return all;
  const wanted = new Set(filter.split(','));
  return all.filter((name) => name === required || wanted.has(name));
}

const fixed = (value: number, digits: number, width: number) =>
  (Number.isNaN(value) ? '-' : value.toFixed(digits)).padStart(width);

function table(cells: Cell[]): string {
  const lines: string[] = [];
  for (const route of Object.keys(ROUTES) as Route[]) {
    if (!cells.some((c) => c.route === route)) continue;
    lines.push(`\n${route}: ${ROUTES[route]}`);
    lines.push('  variant        req/s   ratio   p50 ms  ratio   p99 ms  ratio  errors');
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const mine = cells.filter((c) => c.route === route && c.variant === variant);
      if (mine.length === 0) continue;
      const ratios = (field: 'requestsPerSecond' | 'p50' | 'p99') =>
        median(
          mine.map((cell) => {
            const bare = cells.find((c) => c.route === route && c.variant === 'bare' && c.round === cell.round)!;
            return bare[field] === 0 ? NaN : cell[field] / bare[field];
          }),
        );
      const errors = mine.reduce((sum, c) => sum + c.errors + c.non2xx, 0);
      lines.push(
        `  ${variant.padEnd(13)}${fixed(median(mine.map((c) => c.requestsPerSecond)), 0, 7)}` +
          `${fixed(ratios('requestsPerSecond'), 3, 8)}` +
          `${fixed(median(mine.map((c) => c.p50)), 2, 9)}${fixed(ratios('p50'), 2, 7)}` +
          `${fixed(median(mine.map((c) => c.p99)), 2, 9)}${fixed(ratios('p99'), 2, 7)}` +
          `${String(errors).padStart(8)}`,
      );
    }
  }
  return lines.join('\n');
}

async function main() {
  const variants = chosen(Object.keys(VARIANTS) as Variant[], process.env.BENCH_VARIANTS, 'bare');
  const routes = chosen(Object.keys(ROUTES) as Route[], process.env.BENCH_ROUTES);
  console.log(`Loupe bench: ${ROUNDS} rounds × ${SECONDS} s per variant and route; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  const running = new Map<Variant, { child: ChildProcess; port: number }>();
  for (const variant of variants) running.set(variant, await startVariant(variant));
  try {
    for (const variant of variants) for (const route of routes) await load(running.get(variant)!.port, variant, route, 1);
    const cells: Cell[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const route of routes) {
        // Rotate the order each round so that no variant always runs first or last.
        const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
        for (const variant of order) {
          const result = await load(running.get(variant)!.port, variant, route, SECONDS);
          cells.push({
            round,
            variant,
            route,
            requestsPerSecond: result.requests.average,
            p50: result.latency.p50,
            p99: result.latency.p99,
            errors: result.errors + result.timeouts,
            non2xx: result.non2xx,
          });
        }
      }
      process.stdout.write(`round ${round}/${ROUNDS} done\n`);
    }
    const printed = table(cells);
    console.log(printed);
    const directory = fileURLToPath(new URL('../.artifacts/', import.meta.url));
    await mkdir(directory, { recursive: true });
    const file = `${directory}bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    await writeFile(
      file,
      JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().map((c) => c.model), memory: totalmem(), rounds: ROUNDS, seconds: SECONDS, variants: VARIANTS, routes: ROUTES, cells }, null, 2),
    );
    console.log(`\nraw results: ${file}`);
  } finally {
    for (const { child } of running.values()) child.kill();
  }
}

await main();
