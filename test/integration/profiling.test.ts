import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loupe, type LoupeMiddleware, type LoupeOptions } from '../../server-middleware/index.js';
import type { AccumulatedProfileJson, CallTreeNode, CpuProfile, FunctionRow } from '../../shared/profile.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest, startServer, type RunningServer } from '../support/http.js';

/* The workload: CPU burnt in each function's own loop body, timed with performance.now(). */

function heavyLoop(iterations: number): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (x * 48271) % 2147483647;
  return x;
}

function lightLoop(iterations: number): number {
  let x = 3;
  for (let i = 0; i < iterations; i++) x = (x * 48271) % 2147483647;
  return x;
}

function recursiveLoop(depth: number, iterations: number): number {
  let x = depth + 1;
  for (let i = 0; i < iterations; i++) x = (x * 48271) % 2147483647;
  return depth === 0 ? x : x + recursiveLoop(depth - 1, iterations);
}

function timed(run: () => number): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** Iterations of the loop body per millisecond on this machine, now. */
function calibrate(): number {
  heavyLoop(1e6);
  lightLoop(1e6);
  recursiveLoop(2, 1e5);
  const iterations = 2e6;
  return iterations / timed(() => lightLoop(iterations));
}

interface Running extends RunningServer {
  loupe: LoupeMiddleware;
}

async function startProfiledApp(options: LoupeOptions, perMs = 1000): Promise<Running> {
  const middleware = loupe(options);
  const app = express();
  app.use(middleware);
  app.get('/work', (_req, res) => {
    // Interleaved in rounds, so that the machine's other work slows all three alike.
    const truth = { heavyMs: 0, lightMs: 0, recursiveMs: 0 };
    for (let round = 0; round < 8; round++) {
      truth.heavyMs += timed(() => heavyLoop(30 * perMs));
      truth.lightMs += timed(() => lightLoop(10 * perMs));
      truth.recursiveMs += timed(() => recursiveLoop(9, 1.5 * perMs));
    }
    res.json(truth);
  });
  app.get('/light', (req, res) => {
    res.json({ x: lightLoop(Number(req.query.ms ?? 2) * perMs) });
  });
  app.get('/wait', (_req, res) => {
    setTimeout(() => res.send('waited'), 400);
  });
  app.get('/profile/', (_req, res) => {
    res.send('the app’s own profile page');
  });
  const server = await startServer(app);
  return {
    ...server,
    loupe: middleware,
    async close() {
      await server.close();
      await middleware.close();
    },
  };
}

const byName = (rows: FunctionRow[], name: string) => rows.find((row) => row.functionName === name);
const within = (actual: number, expected: number, tolerance: number) =>
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);

function expectValidCpuProfile(profile: CpuProfile) {
  const ids = new Set(profile.nodes.map((node) => node.id));
  expect(ids.size).toBe(profile.nodes.length);
  expect(profile.nodes[0]!.callFrame.functionName).toBe('(root)');
  for (const node of profile.nodes) {
    expect(typeof node.callFrame.url).toBe('string');
    for (const child of node.children ?? []) expect(ids.has(child)).toBe(true);
  }
  expect(profile.samples).toHaveLength(profile.timeDeltas.length);
  for (const sample of profile.samples) expect(ids.has(sample)).toBe(true);
  for (const delta of profile.timeDeltas) expect(delta).toBeGreaterThanOrEqual(0);
  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  expect(hits).toBe(profile.samples.length);
  const lastSample = profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0);
  expect(lastSample).toBeLessThanOrEqual(profile.endTime);
}

describe('development: every request profiled', () => {
  let app: Running;
  const truth = { heavyMs: 0, lightMs: 0, recursiveMs: 0 };
  let record: LoupeRecord;

  beforeAll(async () => {
    app = await startProfiledApp({ mode: 'development' }, calibrate());
    // Three runs, summed: the machine's other work evens out.
    for (let run = 0; run < 3; run++) {
      const response = await rawRequest(`${app.url}/work`);
      const measured = JSON.parse(response.body.toString()) as typeof truth;
      truth.heavyMs += measured.heavyMs;
      truth.lightMs += measured.lightMs;
      truth.recursiveMs += measured.recursiveMs;
      record ??= (await getJson<LoupeRecord>(`${app.url}/__loupe/api/requests/${String(response.headers['x-loupe-id'])}`)).json;
    }
  }, 30_000);
  afterAll(() => app.close());

  it('finds self times in the measured ratio (±20 %) and recursion counted once (±25 %)', async () => {
    const route = encodeURIComponent('GET /work');
    const { json } = await getJson<AccumulatedProfileJson>(`${app.url}/__loupe/api/profile?route=${route}&limit=5000`);
    const heavy = byName(json.functions, 'heavyLoop')!;
    const light = byName(json.functions, 'lightLoop')!;
    const recursive = byName(json.functions, 'recursiveLoop')!;
    within(heavy.selfMs / light.selfMs, truth.heavyMs / truth.lightMs, 0.2);
    within(recursive.cumulativeMs, truth.recursiveMs, 0.25);
    // Counted once per sample: never more samples than the route had.
    expect(recursive.samples).toBeLessThanOrEqual(json.samples);
    expect(recursive.cumulativeMs).toBeLessThan(json.totalMs);
  });

  it('gives each request a profile panel with its top functions', () => {
    const profile = record.panels.profile!;
    expect(profile.status).toBe('ready');
    expect(profile.samples).toBeGreaterThan(100);
    expect(profile.topSelf[0]!.functionName).toBe('heavyLoop');
    expect(profile.topSelf.map((row) => row.functionName)).toEqual(expect.arrayContaining(['lightLoop', 'recursiveLoop']));
    expect(profile.overlappingRequests).toBe(0);
  });

  it('serves the request’s own .cpuprofile, consistent and matching the panel', async () => {
    const { status, json } = await getJson<CpuProfile>(`${app.url}/__loupe/api/requests/${record.id}/profile`);
    expect(status).toBe(200);
    expectValidCpuProfile(json);
    expect(json.samples).toHaveLength(record.panels.profile!.samples);
    expect(json.endTime - json.startTime).toBeCloseTo(record.durationMs! * 1000, -3);
  });

  it('accumulates per function and route: JSON with sort, route and limit', async () => {
    const base = `${app.url}/__loupe/api/profile`;
    const all = await getJson<AccumulatedProfileJson>(base);
    expect(all.status).toBe(200);
    expect(all.headers['cache-control']).toBe('no-store');
    expect(all.json.requests).toBeGreaterThanOrEqual(3);
    expect(all.json.functions).toHaveLength(30);
    expect(all.json.routes.map((route) => route.route)).toContain('GET /work');

    const bySelf = await getJson<AccumulatedProfileJson>(`${base}?route=${encodeURIComponent('GET /work')}&sort=self&limit=3`);
    expect(bySelf.json.route).toBe('GET /work');
    expect(bySelf.json.functions.map((row) => row.functionName)).toEqual(['heavyLoop', 'recursiveLoop', 'lightLoop']);
    const bySamples = await getJson<AccumulatedProfileJson>(`${base}?sort=samples&limit=5`);
    const samples = bySamples.json.functions.map((row) => row.samples);
    expect(samples).toEqual([...samples].sort((a, b) => b - a));

    for (const [query, code] of [
      ['sort=fastest', 'invalid_sort'],
      ['limit=0', 'invalid_limit'],
      ['route=a&route=b', 'invalid_route'],
    ] as const) {
      const bad = await getJson<{ error: { code: string } }>(`${base}?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe(code);
    }
    expect((await getJson(`${base}?route=${encodeURIComponent('GET /never')}`)).status).toBe(404);
  });

  it('gives the merged call tree and the whole profile as one valid .cpuprofile', async () => {
    const tree = (await getJson<CallTreeNode>(`${app.url}/__loupe/api/profile/tree`)).json;
    expect(tree.functionName).toBe('(root)');
    const names = new Set<string>();
    const walk = (node: CallTreeNode) => {
      names.add(node.functionName);
      node.children.forEach(walk);
    };
    walk(tree);
    expect(names).toContain('heavyLoop');
    const whole = await rawRequest(`${app.url}/__loupe/api/profile.cpuprofile`);
    expect(whole.headers['content-disposition']).toMatch(/\.cpuprofile/);
    expectValidCpuProfile(JSON.parse(whole.body.toString()));
  });

  it('prints the statistics as text at /profile/, and one request’s with ?profile', async () => {
    const text = await rawRequest(`${app.url}/profile/`);
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    const body = text.body.toString();
    expect(body).toMatch(/^Loupe CPU profile of all routes: \d+ sampled requests, \d+ samples/);
    expect(body).toContain('Ordered by: cumulative time');
    expect(body).toMatch(/heavyLoop \(file:\/\/.*profiling\.test\.ts:\d+\)/);
    expect(body.trim().split('\n').length).toBeLessThanOrEqual(6 + 30);

    const single = await rawRequest(`${app.url}/work?profile`);
    expect(single.status).toBe(200);
    expect(single.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(single.headers['x-loupe-id']).toBeDefined();
    const singleText = single.body.toString();
    expect(singleText).toMatch(/^GET \/work\?profile: \d+ samples/);
    expect(singleText).toContain('heavyLoop');
    expect(singleText).not.toContain('heavyMs');
  });

  it('resets on DELETE, after which /profile/ says "No data yet."', async () => {
    const reset = await rawRequest(`${app.url}/__loupe/api/profile`, { method: 'DELETE' });
    expect(reset.status).toBe(200);
    expect((await rawRequest(`${app.url}/profile/`)).body.toString()).toBe('No data yet.\n');
    expect((await getJson<AccumulatedProfileJson>(`${app.url}/__loupe/api/profile`)).json).toMatchObject({ requests: 0, samples: 0 });
  });

  it('answers 404 for the profile of a request that was not profiled, and 400 for a bad id', async () => {
    expect((await getJson(`${app.url}/__loupe/api/requests/AAAAAAAAAAAAAAAAAAAAAA/profile`)).status).toBe(404);
    expect((await getJson(`${app.url}/__loupe/api/requests/nope/profile`)).status).toBe(400);
  });
});

describe('production: every Nth request, and only keyed readers', () => {
  let app: Running;
  beforeAll(async () => {
    app = await startProfiledApp({ mode: 'production', keys: ['k'], sampleEvery: 5 });
  });
  afterAll(() => app.close());
  const keyed = { 'x-loupe-key': 'k' };

  it('profiles exactly every 5th request, keyed or not, and records none of the unkeyed', async () => {
    for (let i = 0; i < 19; i++) await rawRequest(`${app.url}/light`);
    await rawRequest(`${app.url}/light`, { headers: keyed });
    const { json } = await getJson<AccumulatedProfileJson>(`${app.url}/__loupe/api/profile`, keyed);
    expect(json.requests).toBe(4);
    expect(json.routes).toEqual([expect.objectContaining({ route: 'GET /light', requests: 4 })]);
    expect((await app.loupe.store.usage()).records).toBe(1);
  });

  it('gives a sample to every route in flight when it was taken, and counts it once in all', async () => {
    const fresh = await startProfiledApp({ mode: 'production', keys: ['k'], sampleEvery: 1 }, calibrate());
    try {
      // /light burns about 150 ms inside /wait's 400 ms: those samples belong to both requests.
      const waiting = rawRequest(`${fresh.url}/wait`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await rawRequest(`${fresh.url}/light?ms=150`);
      await waiting;
      const profile = (route?: string) =>
        getJson<AccumulatedProfileJson>(`${fresh.url}/__loupe/api/profile?limit=5000${route ? `&route=${encodeURIComponent(route)}` : ''}`, keyed);
      const [all, light, wait] = await Promise.all([profile(), profile('GET /light'), profile('GET /wait')]);
      const lightSamples = byName(light.json.functions, 'lightLoop')!.samples;
      expect(lightSamples).toBeGreaterThan(10);
      expect(byName(wait.json.functions, 'lightLoop')!.samples).toBe(lightSamples);
      expect(byName(all.json.functions, 'lightLoop')!.samples).toBe(lightSamples);
      expect(all.json.requests).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('keeps samples only where a recorded request may ask for them', async () => {
    const fresh = await startProfiledApp({ mode: 'production', keys: ['k'], sampleEvery: 1 });
    try {
      const retained = fresh.loupe.profiler as unknown as { segments: unknown[] };
      for (let i = 0; i < 10; i++) await rawRequest(`${fresh.url}/light`);
      fresh.loupe.profiler!.flush();
      expect(retained.segments).toHaveLength(0);
      const id = (await rawRequest(`${fresh.url}/light`, { headers: keyed })).headers['x-loupe-id'] as string;
      const profile = await getJson<CpuProfile>(`${fresh.url}/__loupe/api/requests/${id}/profile`, keyed);
      expect(profile.status).toBe(200);
      expectValidCpuProfile(profile.json);
      expect(retained.segments.length).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('leaves /profile/ and ?profile to the app for strangers', async () => {
    expect((await rawRequest(`${app.url}/profile/`)).body.toString()).toBe('the app’s own profile page');
    const page = await rawRequest(`${app.url}/light?profile`);
    expect(page.headers['content-type']).toMatch(/^application\/json/);
    expect(page.headers['x-loupe-id']).toBeUndefined();
    expect((await rawRequest(`${app.url}/profile/`, { headers: keyed })).body.toString()).toMatch(/^Loupe CPU profile/);
    const single = await rawRequest(`${app.url}/light?profile`, { headers: keyed });
    expect(single.body.toString()).toMatch(/^GET \/light\?profile: \d+ samples/);
  });
});

describe('memory', () => {
  it('lets go of finished requests while their samples wait for the segment to end', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const middleware = loupe({ mode: 'development', profile: { segmentMs: 60_000 } });
    const requests: Array<WeakRef<object>> = [];
    const app = express()
      .use(middleware)
      .get('/kept', (req, res) => {
        requests.push(new WeakRef(req));
        res.json({ x: lightLoop(1e5) });
      });
    const server = await startServer(app);
    try {
      for (let i = 0; i < 20; i++) await rawRequest(`${server.url}/kept`, { headers: { connection: 'close' } });
      // Closed sockets let go of their last request a little later on a busy machine; the
      // segment runs for a minute, so a few seconds' grace still proves the point.
      let kept = requests.length;
      for (let tries = 0; kept > 0 && tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        gc();
        kept = requests.filter((ref) => ref.deref() !== undefined).length;
      }
      expect(kept).toBe(0);
      // The windows still count: their route comes out when the segment is processed.
      const profile = (await getJson<AccumulatedProfileJson>(`${server.url}/__loupe/api/profile`)).json;
      expect(profile.routes).toContainEqual(expect.objectContaining({ route: 'GET /kept', requests: 20 }));
    } finally {
      await server.close();
      await middleware.close();
    }
  });
});

describe('statsFile', () => {
  let directory: string;
  let running: Running | undefined;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'loupe-stats-'));
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('keeps the accumulated statistics across a restart', async () => {
    const statsFile = join(directory, 'stats.json');
    running = await startProfiledApp({ mode: 'development', statsFile });
    for (let i = 0; i < 3; i++) await rawRequest(`${running.url}/light`);
    const before = (await getJson<AccumulatedProfileJson>(`${running.url}/__loupe/api/profile`)).json;
    await running.close();
    running = await startProfiledApp({ mode: 'development', statsFile });
    const after = (await getJson<AccumulatedProfileJson>(`${running.url}/__loupe/api/profile`)).json;
    expect(after.requests).toBe(before.requests);
    expect(after.samples).toBe(before.samples);
    expect(after.routes).toEqual(before.routes);
  });

  it('reports a corrupt file once, carries on, and replaces it', async () => {
    const statsFile = join(directory, 'corrupt.json');
    await writeFile(statsFile, '{"format": "loupe-prof');
    const errors: string[] = [];
    running = await startProfiledApp({ mode: 'development', statsFile, onError: (error, where) => errors.push(`${where}: ${String(error)}`) });
    expect(errors).toEqual([expect.stringContaining('corrupt')]);
    await rawRequest(`${running.url}/light`);
    await running.close();
    running = undefined;
    const saved = JSON.parse(await readFile(statsFile, 'utf8'));
    expect(saved).toMatchObject({ format: 'loupe-profile', version: 1, all: { requests: 1 } });
  });
});
