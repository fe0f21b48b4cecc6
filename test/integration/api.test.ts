import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoupeRecord, RecordSummary } from '../../shared/record.js';
import { getJson, rawRequest } from '../support/http.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

let demo: RunningDemo;
let api: string;
beforeAll(async () => {
  demo = await startDemo({ loupe: { mode: 'development', bounds: { maxRecords: 30 } } });
  api = `${demo.url}/__loupe/api`;
});
afterAll(() => demo.close());

function expectJsonError(response: { status: number; headers: Record<string, unknown>; json: unknown }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.json).toEqual({ error: { code, message: expect.any(String) } });
}

describe('the JSON API', () => {
  it('serves a record as uncached JSON, and is not itself recorded', async () => {
    const page = await rawRequest(`${demo.url}/text`);
    const id = String(page.headers['x-loupe-id']);
    const response = await getJson<LoupeRecord>(`${api}/requests/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-loupe-id']).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.json.id).toBe(id);
  });

  it('lists recent records newest first, with a limit', async () => {
    const ids: string[] = [];
    for (const path of ['/text', '/api/items', '/image.png']) {
      ids.push(String((await rawRequest(demo.url + path)).headers['x-loupe-id']));
    }
    const { status, json } = await getJson<{ requests: RecordSummary[] }>(`${api}/requests?limit=3`);
    expect(status).toBe(200);
    expect(json.requests.map((summary) => summary.id)).toEqual(ids.reverse());
    expect(json.requests[0]).toMatchObject({ method: 'GET', url: '/image.png', status: 200, contentType: 'image/png', state: 'complete' });
    const all = await getJson<{ requests: RecordSummary[] }>(`${api}/requests`);
    expect(all.json.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('answers 400 JSON to malformed ids and parameters', async () => {
    for (const bad of ['short', 'x'.repeat(23), '%00', '..%2F..%2Fetc%2Fpasswd', 'AAAAAAAAAAAAAAAAAAAAA%3D']) {
      expectJsonError(await getJson(`${api}/requests/${bad}`), 400, 'invalid_id');
    }
    for (const query of ['limit=0', 'limit=abc', 'limit=1001', 'limit=1&limit=2']) {
      expectJsonError(await getJson(`${api}/requests?${query}`), 400, 'invalid_limit');
    }
    const id = String((await rawRequest(`${demo.url}/text`)).headers['x-loupe-id']);
    for (const query of ['wait=-1', 'wait=soon', 'wait=30001']) {
      expectJsonError(await getJson(`${api}/requests/${id}?${query}`), 400, 'invalid_wait');
    }
  });

  it('answers 404 JSON to unknown ids and routes, 405 to other methods', async () => {
    expectJsonError(await getJson(`${api}/requests/AAAAAAAAAAAAAAAAAAAAAA`), 404, 'not_found');
    expectJsonError(await getJson(`${api}/requests/AAAAAAAAAAAAAAAAAAAAAA?wait=200`), 404, 'not_found');
    expectJsonError(await getJson(`${api}/nothing-here`), 404, 'unknown_route');
    expectJsonError(await getJson(api), 404, 'unknown_route');
    const deleted = await rawRequest(`${api}/requests`, { method: 'DELETE' });
    expect(deleted.status).toBe(405);
    expect(deleted.headers.allow).toBe('GET, HEAD');
  });

  it('does not mistake a longer path for the API', async () => {
    const response = await rawRequest(`${demo.url}/__loupe/apis`);
    expect(response.status).toBe(404);
    expect(response.body.toString()).toBe('Nothing at /__loupe/apis\n');
    expect(response.headers['x-loupe-id']).toBeDefined();
  });

  it('holds ?wait until the record completes, and no longer', async () => {
    // /slow sends its headers only at the end, so its pending record is found through the list.
    const slow = rawRequest(`${demo.url}/slow?ms=400`);
    let pending: RecordSummary | undefined;
    while (pending === undefined) {
      const { json } = await getJson<{ requests: RecordSummary[] }>(`${api}/requests?limit=5`);
      pending = json.requests.find((summary) => summary.url === '/slow?ms=400' && summary.state === 'pending');
    }
    const started = Date.now();
    const record = await getJson<LoupeRecord>(`${api}/requests/${pending.id}?wait=5000`);
    const waited = Date.now() - started;
    expect(record.json).toMatchObject({ id: pending.id, state: 'complete', response: { status: 200 } });
    expect(waited).toBeGreaterThan(200);
    expect(waited).toBeLessThan(1_000);
    expect((await slow).headers['x-loupe-id']).toBe(pending.id);
  });

  it('returns a pending record when the wait runs out first', async () => {
    const { request } = await import('node:http');
    const id = await new Promise<string>((resolve, reject) => {
      request(`${demo.url}/events?count=10`, (res) => {
        res.resume();
        resolve(String(res.headers['x-loupe-id']));
      })
        .on('error', reject)
        .end();
    });
    const started = Date.now();
    const record = await getJson<LoupeRecord>(`${api}/requests/${id}?wait=300`);
    const waited = Date.now() - started;
    expect(record.json.state).toBe('pending');
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1_500);
  });

  it('keeps the store within its bounds however many requests come', async () => {
    for (let i = 0; i < 120; i++) await rawRequest(`${demo.url}/api/items/${i % 4}`);
    const usage = await demo.loupe!.store.usage();
    expect(usage.records).toBeLessThanOrEqual(30);
    const { json } = await getJson<{ requests: RecordSummary[] }>(`${api}/requests?limit=1000`);
    // Requests of earlier tests still in flight are listed too, from memory, not the store.
    expect(json.requests.filter((summary) => summary.state === 'complete').length).toBeLessThanOrEqual(30);
    expect(json.requests[0]!.url).toBe('/api/items/3');
  });
});
