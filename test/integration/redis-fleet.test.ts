import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccumulatedProfileJson, CpuProfile, ProfileStats } from '../../shared/profile.js';
import { HEADERS } from '../../shared/protocol.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest } from '../support/http.js';
import { startRedis, type RunningRedis } from '../support/redis.js';

const API = '/__loupe/api';
/**
 * Another instance's profile still pending this long after its request is read as expired;
 * short here so that the test of a dead instance need not wait the default two minutes.
 */
const RETAIN_MS = 6000;

interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  warnings: string[];
}

async function startInstance(redis: RunningRedis, prefix: string, name: string, profile: object = {}): Promise<Instance> {
  const settings = JSON.stringify({ retainMs: RETAIN_MS, ...profile });
  const child = fork(fileURLToPath(new URL('../support/fleet-app.ts', import.meta.url)), [redis.url, prefix, name, settings], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const warnings: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: { port?: number; warning?: string }) => {
      if (message.port !== undefined) resolve(message.port);
      if (message.warning !== undefined) warnings.push(message.warning);
    });
    child.once('exit', (code) => reject(new Error(`instance ${name} exited with ${code}`)));
  });
  return { name, url: `http://127.0.0.1:${port}`, child, warnings };
}

function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => instance.child.once('exit', () => resolve()));
  instance.child.kill();
  return exited;
}

/** Waits until `check` passes, retrying on failure; fails with its last error after `ms`. */
async function eventually<T>(check: () => Promise<T>, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

const functionNames = (rows: ProfileStats['topSelf']) => rows.map((row) => row.functionName);
const nodeNames = (profile: CpuProfile) => profile.nodes.map((node) => node.callFrame.functionName);

/** A request's id, and the instance that recorded it. */
async function request(instance: Instance, path: string): Promise<string> {
  const response = await rawRequest(`${instance.url}${path}`);
  expect(response.status).toBe(200);
  return response.headers[HEADERS.id.toLowerCase()] as string;
}

describe('a fleet of two app processes sharing one Redis', () => {
  let redis: RunningRedis;
  let prefix: string;
  let a: Instance;
  let b: Instance;
  /** Instances started by single tests, stopped at the end whatever happened. */
  const extra: Instance[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    prefix = `fleet-${process.pid}`;
    [a, b] = await Promise.all([startInstance(redis, prefix, 'a'), startInstance(redis, prefix, 'b')]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a, b, ...extra].filter(Boolean).map(stopInstance));
    await redis?.stop();
  });

  it('serves any record from either instance, and adds both instances to one profile', async () => {
    const ids: Array<{ id: string; servedBy: Instance }> = [];
    for (let i = 0; i < 12; i++) {
      const servedBy = i % 2 === 0 ? a : b;
      ids.push({ id: await request(servedBy, '/work'), servedBy });
    }
    for (const { id, servedBy } of ids) {
      const other = servedBy === a ? b : a;
      const { status, json } = await getJson<LoupeRecord>(`${other.url}${API}/requests/${id}?wait=3000`);
      expect(status).toBe(200);
      expect(json).toMatchObject({ id, state: 'complete', request: { path: '/work' }, response: { status: 200 } });
    }
    const listed = await getJson<{ requests: Array<{ id: string }> }>(`${b.url}${API}/requests?limit=100`);
    expect(listed.json.requests.map((s) => s.id)).toEqual(expect.arrayContaining(ids.map((entry) => entry.id)));

    // Each instance sends its samples once per segment (200 ms here); either one reads the sum.
    const profile = await eventually(async () => {
      const { json } = await getJson<AccumulatedProfileJson>(`${a.url}${API}/profile?limit=200`);
      const names = json.functions.map((row) => row.functionName);
      expect(json.requests).toBeGreaterThanOrEqual(12);
      expect(names).toContain('workOnInstanceA');
      expect(names).toContain('workOnInstanceB');
      return json;
    });
    expect(profile.routes.find((route) => route.route === 'GET /work')?.requests).toBeGreaterThanOrEqual(12);
    const fromB = await getJson<AccumulatedProfileJson>(`${b.url}${API}/profile`);
    expect(fromB.json.requests).toBeGreaterThanOrEqual(12);
    const text = await rawRequest(`${b.url}/profile/`);
    expect(text.body.toString()).toMatch(/workOnInstance[AB]/);
  });

  it('serves a request’s CPU profile, resolved by the instance that recorded it, from the other one', async () => {
    for (const [owner, reader, own, foreign] of [
      [a, b, 'workOnInstanceA', 'workOnInstanceB'],
      [b, a, 'workOnInstanceB', 'workOnInstanceA'],
    ] as const) {
      // The reader burns its own function at the same time: cut from its samples, the window would show that.
      const [id] = await Promise.all([request(owner, '/work?ms=80'), request(reader, '/work?ms=120')]);
      const first = await getJson<{ error?: { code: string } }>(`${reader.url}${API}/requests/${id}/profile`);
      // Until the owner has processed the request's samples (a segment, 200 ms here), it is pending.
      if (first.status !== 200) expect(first).toMatchObject({ status: 409, json: { error: { code: 'pending' } } });

      const record = await eventually(async () => {
        const { json } = await getJson<LoupeRecord>(`${reader.url}${API}/requests/${id}`);
        expect(json.panels.profile?.status).toBe('ready');
        return json;
      }, 20_000);
      const panel = record.panels.profile!;
      expect(panel.instance).toContain(`:${owner.child.pid}:`);
      expect(panel.samples).toBeGreaterThan(0);
      expect(functionNames(panel.topSelf)).toContain(own);
      expect(functionNames(panel.topCumulative)).not.toContain(foreign);

      const cpuProfile = await getJson<CpuProfile>(`${reader.url}${API}/requests/${id}/profile`);
      expect(cpuProfile.status).toBe(200);
      expect(nodeNames(cpuProfile.json)).toContain(own);
      expect(nodeNames(cpuProfile.json)).not.toContain(foreign);
      expect(cpuProfile.json.samples).toHaveLength(panel.samples);
    }
  }, 60_000);

  it('reads the profile of an instance that died before resolving it as pending, then expired', async () => {
    // Its first segment would end in ten minutes: it never processes the request's samples.
    const doomed = await startInstance(redis, prefix, 'doomed', { segmentMs: 600_000 });
    extra.push(doomed);
    const id = await request(doomed, '/work?ms=20');
    const recordedAt = Date.now();
    // The record reaches Redis just after the response: it dies once the complete one is there.
    const first = await eventually(async () => {
      const answer = await getJson<LoupeRecord>(`${b.url}${API}/requests/${id}?wait=1000`);
      expect(answer.json.state).toBe('complete');
      return answer;
    });
    await stopInstance(doomed);

    expect(first.json.panels.profile?.instance).toContain(`:${doomed.child.pid}:`);
    // Asserted only while clearly inside the retention time, which a loaded machine may overrun.
    if (Date.now() - recordedAt < RETAIN_MS / 2) {
      expect(first.json.panels.profile?.status).toBe('pending');
      expect((await getJson(`${b.url}${API}/requests/${id}/profile`)).status).toBe(409);
    }
    await eventually(async () => {
      const { json } = await getJson<LoupeRecord>(`${b.url}${API}/requests/${id}`);
      expect(json.panels.profile?.status).toBe('expired');
    }, RETAIN_MS + 15_000);
    const { status, json } = await getJson<{ error: { code: string } }>(`${a.url}${API}/requests/${id}/profile`);
    expect(status).toBe(410);
    expect(json.error.code).toBe('profile_expired');
  }, 60_000);

  it('resolves an instance’s pending profiles when it closes', async () => {
    const closing = await startInstance(redis, prefix, 'closing', { segmentMs: 600_000 });
    extra.push(closing);
    const id = await request(closing, '/work?ms=60');
    const exited = new Promise((resolve) => closing.child.once('exit', resolve));
    closing.child.send('close');
    await exited;

    const { json } = await getJson<LoupeRecord>(`${b.url}${API}/requests/${id}`);
    expect(json.panels.profile?.status).toBe('ready');
    expect(functionNames(json.panels.profile!.topSelf)).toContain('workOnInstanceA');
    expect((await getJson(`${b.url}${API}/requests/${id}/profile`)).status).toBe(200);
  }, 60_000);

  it('loses no app response when Redis dies under load, and records again once it is back', async () => {
    const statuses: number[] = [];
    const slowest: number[] = [];
    let running = true;
    const load = Array.from({ length: 4 }, async (_, worker) => {
      for (let i = 0; running; i++) {
        const target = (worker + i) % 2 === 0 ? a : b;
        const started = performance.now();
        const response = await rawRequest(`${target.url}/hello`);
        slowest.push(performance.now() - started);
        statuses.push(response.status);
      }
    });
    await sleep(300);
    await redis.stop();
    await sleep(1000);
    running = false;
    await Promise.all(load);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Nothing on the request path waits for Redis.
    expect(Math.max(...slowest)).toBeLessThan(500);
    await eventually(async () => expect([...a.warnings, ...b.warnings].join('\n')).toMatch(/Redis store/));

    await redis.restart();
    const { id } = await eventually(async () => {
      const response = await rawRequest(`${a.url}/hello`);
      const recordId = response.headers[HEADERS.id.toLowerCase()] as string;
      const { status } = await getJson(`${b.url}${API}/requests/${recordId}?wait=1000`);
      expect(status).toBe(200);
      return { id: recordId };
    }, 15_000);
    expect(id).toHaveLength(22);
  }, 30_000);
});
