import { request } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { loupe, type Panel, type RecordStore } from '../../server-middleware/index.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest, startServer, type RunningServer } from '../support/http.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

let running: Array<RunningServer | RunningDemo> = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

function appWith(options: Parameters<typeof loupe>[0]) {
  const app = express();
  app.use(loupe(options));
  app.get('/hello', (_req, res) => {
    res.send('hello');
  });
  return app;
}

describe('faults inside Loupe never change the response', () => {
  it('a panel that throws is skipped and named in the record', async () => {
    const broken: Panel = {
      id: 'broken',
      start: () => {
        throw new Error('start failed');
      },
      stats: () => ({}),
    };
    const flaky: Panel = { id: 'flaky', stats: () => { throw new Error('stats failed'); }, serverTiming: () => { throw new Error('timing failed'); } };
    const errors: string[] = [];
    const server = await startServer(appWith({ mode: 'development', panels: [broken, flaky], onError: (_e, where) => errors.push(where) }));
    running.push(server);
    const response = await rawRequest(`${server.url}/hello`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello');
    const { json } = await getJson<LoupeRecord>(`${server.url}/__loupe/api/requests/${String(response.headers['x-loupe-id'])}`);
    expect(json.skipped).toEqual([
      { panel: 'broken', reason: 'start failed' },
      { panel: 'flaky', reason: 'stats failed' },
    ]);
    expect(json.panels.timer).toBeDefined();
    expect(errors).toEqual(expect.arrayContaining(['panel broken', 'panel flaky', 'panel flaky server timing']));
  });

  it('a store that throws or rejects loses records, not responses', async () => {
    const failing: RecordStore = {
      save: () => { throw new Error('disk full'); },
      get: () => Promise.reject(new Error('unreachable')),
      attachProfile: () => {},
      getProfile: () => undefined,
      list: () => [],
      usage: () => ({ records: 0, bytes: 0 }),
      clear: () => {},
      close: () => {},
    };
    const errors: string[] = [];
    const server = await startServer(appWith({ mode: 'development', store: failing, onError: (_e, where) => errors.push(where) }));
    running.push(server);
    const response = await rawRequest(`${server.url}/hello`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello');
    expect(errors).toContain('store.save');
    const api = await getJson(`${server.url}/__loupe/api/requests/${String(response.headers['x-loupe-id'])}`);
    expect(api.status).toBe(500);
    expect(api.json).toEqual({ error: { code: 'internal', message: expect.any(String) } });
  });

  it('an authorize hook that throws counts as a refusal', async () => {
    const server = await startServer(
      appWith({ mode: 'production', keys: ['k'], authorize: () => { throw new Error('auth service down'); }, onError: () => {} }),
    );
    running.push(server);
    const response = await rawRequest(`${server.url}/hello`, { headers: { 'x-loupe-key': 'k' } });
    expect(response.body.toString()).toBe('hello');
    expect(response.headers['x-loupe-id']).toBeUndefined();
  });

  it('a client that goes away mid-stream still yields a complete record, marked aborted', async () => {
    const demo = await startDemo({ loupe: { mode: 'development' } });
    running.push(demo);
    const id = await new Promise<string>((resolve, reject) => {
      const req = request(`${demo.url}/stream`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve(String(res.headers['x-loupe-id']));
        });
      });
      req.on('error', () => {});
      req.on('close', () => {});
      req.end();
      setTimeout(() => reject(new Error('no data')), 3000);
    });
    const { json } = await getJson<LoupeRecord>(`${demo.url}/__loupe/api/requests/${id}?wait=3000`);
    expect(json).toMatchObject({ id, state: 'complete', aborted: true, response: { status: 200, streamed: true } });
    expect(json.panels.timer!.totalMs).toBeLessThan(900);
    expect(json.response.bytes).toBeGreaterThan(0);
  });
});

describe('a store that hangs', () => {
  it('slows nothing of the app, and the API answers 503 instead of hanging', { timeout: 30_000 }, async () => {
    const never = () => new Promise<never>(() => {});
    const hanging: RecordStore = {
      save: never,
      get: never,
      attachProfile: never,
      getProfile: never,
      list: never,
      usage: () => ({ records: 0, bytes: 0 }),
      clear: () => {},
      close: () => {},
    };
    const errors: string[] = [];
    const server = await startServer(appWith({ mode: 'development', store: hanging, onError: (_e, where) => errors.push(where) }));
    running.push(server);
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 20 }, () => rawRequest(`${server.url}/hello`)));
    expect(Date.now() - started).toBeLessThan(3000);
    for (const response of responses) expect(response.body.toString()).toBe('hello');
    const [record, list] = await Promise.all([
      getJson(`${server.url}/__loupe/api/requests/${String(responses[0]!.headers['x-loupe-id'])}`),
      getJson(`${server.url}/__loupe/api/requests`),
    ]);
    for (const answer of [record, list]) {
      expect(answer.status).toBe(503);
      expect(answer.json).toEqual({ error: { code: 'store_timeout', message: expect.stringMatching(/no answer within/) } });
    }
    expect(errors).toContain('API request');
  });
});
