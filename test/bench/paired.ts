/**
 * `npm run bench:paired`: each variant against bare Express at the same time, both servers
 * on the same CPU and loaded together, second after second, in several fresh pairs of
 * processes. On a shared machine the speed of a second moves by ±20 % from one to the next;
 * two servers loaded in the same second share it, so their ratio moves by about ±5 %, and a
 * few minutes settle differences of a percent or two that `npm run bench` cannot.
 *
 * It is the stricter measure of a variant's cost: each server gets half of the CPU, so work its
 * main thread does per second rather than per request (the profiler's segment switches and
 * processing) weighs twice as much per request as on a server with the CPU to itself. Other
 * threads (V8's sampling thread) are shared between both servers by the scheduler.
 *
 *   npm run bench:paired                     noop, v8-profiler, prod-nokey and prod-default on hello and json
 *   BENCH_VARIANTS=dev BENCH_ROUTES=hello npm run bench:paired
 *   PAIRED_SETS=10 PAIRED_SECONDS=12 npm run bench:paired   more pairs, longer per pair
 */
import { machineLine, ratioColumns, writeArtifact } from './report.js';
import { chosen, loadServer, pinLoadGenerator, startVariant } from './servers.js';
import { ROUTES, VARIANTS, type Route, type Variant } from './variants.js';

/** Fresh processes per variant and route: a process's own luck (heap layout, JIT) lasts its life. */
const SETS = Number(process.env.PAIRED_SETS ?? 6);
/** One-second slots per pair. */
const SLOTS = Number(process.env.PAIRED_SECONDS ?? 10);
const WARM_UP_SECONDS = 2;
/** The production targets, and the floors any middleware and any profiler pay. */
const DEFAULT_VARIANTS: Variant[] = ['noop', 'v8-profiler', 'prod-nokey', 'prod-default'];
/** `stream` waits rather than computes: its servers do not compete for the CPU. */
const DEFAULT_ROUTES: Route[] = ['hello', 'json'];

interface Slot {
  variant: Variant;
  route: Route;
  set: number;
  /** The variant's measure over bare Express's in the same second. */
  requestsRatio: number;
  cpuRatio: number;
}

async function measurePair(variant: Variant, route: Route, set: number, pinned: boolean): Promise<Slot[]> {
  const names = ['bare', variant] as const;
  const pair = [await startVariant(names[0], pinned), await startVariant(names[1], pinned)];
  const loadBoth = (seconds: number) => Promise.all(pair.map((server, i) => loadServer(server, names[i]!, route, seconds)));
  try {
    await loadBoth(WARM_UP_SECONDS);
    const slots: Slot[] = [];
    for (let slot = 0; slot < SLOTS; slot++) {
      const [bare, mine] = await loadBoth(1);
      slots.push({
        variant,
        route,
        set,
        requestsRatio: mine!.requestsPerSecond / bare!.requestsPerSecond,
        cpuRatio: mine!.cpuPerRequest / bare!.cpuPerRequest,
      });
    }
    return slots;
  } finally {
    for (const { child } of pair) child.kill('SIGKILL');
  }
}

async function main() {
  const variants = process.env.BENCH_VARIANTS
    ? chosen(Object.keys(VARIANTS) as Variant[], process.env.BENCH_VARIANTS).filter((variant) => variant !== 'bare')
    : DEFAULT_VARIANTS;
  const routes = process.env.BENCH_ROUTES ? chosen(Object.keys(ROUTES) as Route[], process.env.BENCH_ROUTES) : DEFAULT_ROUTES;
  const pinning = pinLoadGenerator();
  const header = `Loupe paired bench: each variant with bare Express at the same time, ${SETS} pairs × ${SLOTS} s per variant and route; ${machineLine()}; ${pinning.description}`;
  console.log(header);
  const slots: Slot[] = [];
  const lines: string[] = [];
  for (const route of routes) {
    lines.push(`\n${route}: ${ROUTES[route]}`, `  ${'variant'.padEnd(13)}${'req/s'.padStart(7)}  ${'IQR'.padEnd(11)} ${'CPU/req'.padStart(7)}  ${'IQR'.padEnd(11)}  (ratios to bare Express)`);
    for (const variant of variants) {
      const mine: Slot[] = [];
      for (let set = 1; set <= SETS; set++) mine.push(...(await measurePair(variant, route, set, pinning.pinned)));
      slots.push(...mine);
      const line = `  ${variant.padEnd(13)}${ratioColumns(mine.map((s) => s.requestsRatio), 3)} ${ratioColumns(mine.map((s) => s.cpuRatio), 3)}`;
      lines.push(line);
      console.log(`${route} ${line.trim()}`);
    }
  }
  const table = lines.join('\n');
  console.log(table);
  const file = await writeArtifact('paired', { header, sets: SETS, seconds: SLOTS, variants: VARIANTS, routes: ROUTES, table, slots });
  console.log(`\nraw results: ${file}`);
}

await main();
