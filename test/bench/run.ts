/**
 * `npm run bench`: the bench app in each variant, each in its own process, loaded in turn by
 * autocannon from this process, round after round, so that every variant sees the same
 * machine conditions. Prints median requests/s, p50/p99 latency and the server's CPU time
 * per request, each as the median of the per-round ratios to bare Express with their
 * interquartile range, and writes the raw results as JSON. docs/performance.md explains the
 * method and how to read it.
 *
 *   npm run bench            15 rounds of 1 s per variant and route, 3 processes each (7 to 8 minutes)
 *   npm run bench -- --quick 3 rounds of 1 s, one process each, for development
 *   BENCH_VARIANTS=bare,dev BENCH_ROUTES=hello npm run bench   only these (bare is always run)
 *   BENCH_ROUNDS=20 BENCH_SECONDS=2 BENCH_PROCESSES=4 npm run bench   other rounds, lengths, processes
 */
import { ask, type ServerChild } from './child.js';
import type { SpanCountMessage } from './otel.js';
import { fixed, machineLine, median, ratioColumns, writeArtifact } from './report.js';
import { CONNECTIONS, chosen, loadServer, pinLoadGenerator, startVariant, type Load } from './servers.js';
import { ROUTES, VARIANTS, type Route, type Variant } from './variants.js';

const quick = process.argv.includes('--quick');
// Many short rounds rather than few long ones: a round's ratio moves by ±10 % here whatever
// its length (0.5 to 1.5 s measured), so more rounds are what narrows the median.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 3 : 15));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
/**
 * Processes per variant, taken in turn from round to round. Two processes of the same app
 * differ by up to 10 % in CPU per request for as long as they live (heap layout, hash
 * seeds, JIT decisions): measured with three copies of bare Express in one run. With one
 * process per variant that luck would pass for Loupe's cost.
 */
const PROCESSES = Math.max(1, Number(process.env.BENCH_PROCESSES ?? (quick ? 1 : 3)));
const WARM_UP_SECONDS = 1;
interface Cell extends Load {
  round: number;
  variant: Variant;
  route: Route;
}

/**
 * Only the process being loaded runs; the others wait stopped. An idle Loupe process is not
 * idle: V8's sampling profiler wakes every interval (about 1.4 % of a core at 10 ms, 4.7 %
 * at 1 ms, measured), and twenty such processes on the servers' CPU would take a fifth of it
 * from whichever process is being measured.
 */
async function whileRunning<T>({ child }: ServerChild, work: () => Promise<T>): Promise<T> {
  child.kill('SIGCONT');
  try {
    return await work();
  } finally {
    child.kill('SIGSTOP');
  }
}

/** A server that waits stopped until `whileRunning` loads it. */
async function startStopped(variant: Variant, pinned: boolean): Promise<ServerChild> {
  const server = await startVariant(variant, pinned);
  server.child.kill('SIGSTOP');
  return server;
}

function load(server: ServerChild, variant: Variant, route: Route, seconds: number) {
  return whileRunning(server, () => loadServer(server, variant, route, seconds));
}

type Measure = 'requestsPerSecond' | 'p50' | 'p99' | 'cpuPerRequest';

/** Per round, the variant's measure divided by bare Express's in the same round and route. */
function roundRatios(cells: Cell[], mine: Cell[], measure: Measure): number[] {
  return mine.map((cell) => {
    const bare = cells.find((c) => c.route === cell.route && c.variant === 'bare' && c.round === cell.round)!;
    return bare[measure] === 0 ? NaN : cell[measure] / bare[measure];
  });
}

function table(cells: Cell[]): string {
  const lines: string[] = [];
  for (const route of Object.keys(ROUTES) as Route[]) {
    if (!cells.some((c) => c.route === route)) continue;
    lines.push(`\n${route}: ${ROUTES[route]} (${CONNECTIONS[route]} connections)`);
    lines.push('  variant        req/s  ratio  IQR          CPU µs/req  ratio  IQR         p50 ms  ratio  p99 ms  ratio  IQR        errors');
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const mine = cells.filter((c) => c.route === route && c.variant === variant);
      if (mine.length === 0) continue;
      const errors = mine.reduce((sum, c) => sum + c.errors + c.non2xx, 0);
      const value = (measure: Measure, digits: number, width: number) => fixed(median(mine.map((c) => c[measure])), digits, width);
      const ratios = (measure: Measure) => roundRatios(cells, mine, measure);
      lines.push(
        `  ${variant.padEnd(13)}${value('requestsPerSecond', 0, 6)}${ratioColumns(ratios('requestsPerSecond'), 3)}` +
          `${value('cpuPerRequest', 0, 10)}${ratioColumns(ratios('cpuPerRequest'), 3)}` +
          `${value('p50', 2, 8)}${fixed(median(ratios('p50')), 2, 7)}` +
          `${value('p99', 2, 8)}${ratioColumns(ratios('p99'), 2)}${String(errors).padStart(8)}`,
      );
    }
  }
  return lines.join('\n');
}

async function main() {
  const variants = chosen(Object.keys(VARIANTS) as Variant[], process.env.BENCH_VARIANTS, 'bare');
  const routes = chosen(Object.keys(ROUTES) as Route[], process.env.BENCH_ROUTES);
  const pinning = pinLoadGenerator();
  const header =
    `Loupe bench: ${ROUNDS} rounds × ${SECONDS} s per variant and route, ${PROCESSES} process${PROCESSES === 1 ? '' : 'es'} per variant taken in turn; ` +
    `${machineLine()}; ${pinning.description}`;
  console.log(header);
  const running = new Map<Variant, ServerChild[]>();
  try {
    for (const variant of variants) {
      const pool: ServerChild[] = [];
      running.set(variant, pool);
      for (let i = 0; i < PROCESSES; i++) pool.push(await startStopped(variant, pinning.pinned));
    }
    const warmUpResponses = new Map<Variant, number>();
    for (const variant of variants) {
      for (const server of running.get(variant)!) {
        for (const route of routes) {
          const { responses } = await load(server, variant, route, WARM_UP_SECONDS);
          warmUpResponses.set(variant, (warmUpResponses.get(variant) ?? 0) + responses);
        }
      }
    }
    let otelSpans: { spans: number; requests: number } | null = null;
    if (running.has('otel')) {
      let spans = 0;
      for (const server of running.get('otel')!) spans += (await whileRunning(server, () => ask<SpanCountMessage>(server.child, 'span-count'))).spans;
      otelSpans = { spans, requests: warmUpResponses.get('otel')! };
      const perRequest = otelSpans.spans / Math.max(1, otelSpans.requests);
      console.log(`otel: ${otelSpans.spans} spans exported for ${otelSpans.requests} warm-up requests (${perRequest.toFixed(2)} per request)`);
      if (otelSpans.spans === 0) console.log('otel: NO SPANS: the instrumentation is not active, its numbers measure plain Express');
    }
    const cells: Cell[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const route of routes) {
        // Rotate the order each round so that no variant always runs first or last.
        const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
        for (const variant of order) {
          const server = running.get(variant)![round % PROCESSES]!;
          cells.push({ round, variant, route, ...(await load(server, variant, route, SECONDS)) });
        }
      }
      process.stdout.write(`round ${round}/${ROUNDS} done\n`);
    }
    const printed = table(cells);
    console.log(printed);
    const file = await writeArtifact('bench', {
      header,
      rounds: ROUNDS,
      seconds: SECONDS,
      processes: PROCESSES,
      connections: CONNECTIONS,
      pinning: pinning.description,
      variants: VARIANTS,
      routes: ROUTES,
      otelSpans,
      table: printed,
      cells,
    });
    console.log(`\nraw results: ${file}`);
  } finally {
    for (const { child } of [...running.values()].flat()) child.kill('SIGKILL');
  }
}

await main();
