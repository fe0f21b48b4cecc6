import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccumulatedProfileJson } from '../../shared/profile.js';
import { HEADERS } from '../../shared/protocol.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest } from '../support/http.js';
import { startRedis, type RunningRedis } from '../support/redis.js';

const API = '/__loupe/api';

interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  warnings: string[];
}

async function startInstance(redis: RunningRedis, prefix: string, name: string): Promise<Instance> {
  const child = fork(fileURLToPath(new URL('../support/fleet-app.ts', import.meta.url)), [redis.url, prefix, name], {
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
  if (instance.child.exitCode !== null) return Promise.resolve();
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

describe('a fleet of two app processes sharing one Redis', () => {
  let redis: RunningRedis;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await startRedis();
    const prefix = `fleet-${process.pid}`;
    [a, b] = await Promise.all([startInstance(redis, prefix, 'a'), startInstance(redis, prefix, 'b')]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopInstance));
    await redis?.stop();
  });

  it('serves any record from either instance, and adds both instances to one profile', async () => {
    const ids: Array<{ id: string; servedBy: Instance }> = [];
    for (let i = 0; i < 12; i++) {
      const servedBy = i % 2 === 0 ? a : b;
      const response = await rawRequest(`${servedBy.url}/work`);
      expect(response.status).toBe(200);
      ids.push({ id: response.headers[HEADERS.id.toLowerCase()] as string, servedBy });
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
