/** The apps the bench compares, each run in its own process. */
export const VARIANTS = {
  bare: 'Express without Loupe',
  noop: 'Express with one middleware that only calls next(): the floor for any middleware',
  'v8-profiler': "Express with V8's own CPU profiler running at production's 10 ms interval, no Loupe: the floor for any in-process profiler",
  'prod-nokey': 'Loupe, production, sampling off, no key (header check only)',
  'prod-default': 'Loupe, production defaults: 1 in 20 profiled, no key',
  'prod-keyed': 'Loupe, production, every request keyed: recorded',
  dev: 'Loupe, development: everything recorded and profiled',
  otel: 'OpenTelemetry Node SDK, http and express instrumentations, batch processor, in-memory exporter',
} as const;

export type Variant = keyof typeof VARIANTS;

export const ROUTES = {
  hello: 'a short text response: the worst case for per-request cost',
  json: 'about 1 ms of CPU, then a JSON body',
  stream: 'a chunked response over 50 ms',
} as const;

export type Route = keyof typeof ROUTES;

export const BENCH_KEY = 'bench-key';
