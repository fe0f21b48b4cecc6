import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest } from '../support/http.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

const KEY = 'operator-key-1';
const OLD_KEY = 'operator-key-0';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemo({
    loupe: {
      mode: 'production',
      keys: [KEY, OLD_KEY],
      // The seed's is_staff: only requests that also say who they are.
      authorize: (req) => req.headers['x-staff'] !== 'no',
    },
  });
});
afterAll(() => demo.close());

describe('production mode', () => {
  it('leaves a request without the key untouched and unrecorded', async () => {
    const response = await rawRequest(`${demo.url}/api/items`);
    expect(response.status).toBe(200);
    for (const header of ['x-loupe-id', 'x-loupe-api', 'server-timing']) expect(response.headers[header]).toBeUndefined();
    expect((await demo.loupe!.store.usage()).records).toBe(0);
  });

  it('hides the API from strangers: the app answers as if Loupe were not there', async () => {
    const strangers: Array<Record<string, string>> = [{}, { 'x-loupe-key': 'wrong' }, { 'x-loupe-key': KEY, 'x-staff': 'no' }];
    for (const headers of strangers) {
      const response = await rawRequest(`${demo.url}/__loupe/api/requests`, { headers });
      expect(response.status).toBe(404);
      expect(response.body.toString()).toBe('Nothing at /__loupe/api/requests\n');
    }
  });

  it('records requests that carry a current or previous key, and serves them to keyed readers', async () => {
    for (const key of [KEY, OLD_KEY]) {
      const response = await rawRequest(`${demo.url}/text?password=hunter2`, { headers: { 'x-loupe-key': key } });
      expect(response.headers['x-loupe-id']).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(response.headers.vary).toMatch(/X-Loupe-Key/);
      const record = await demo.recordOf(response, { 'x-loupe-key': key });
      expect(record.request.url).toBe('/text?password=[redacted]');
      expect(record.request.headers['x-loupe-key']).toBe('[redacted]');
      expect(JSON.stringify(record)).not.toContain(key);
      expect(JSON.stringify(record)).not.toContain('hunter2');
    }
  });

  it('does not record a keyed request that authorize refuses', async () => {
    const response = await rawRequest(`${demo.url}/text`, { headers: { 'x-loupe-key': KEY, 'x-staff': 'no' } });
    expect(response.headers['x-loupe-id']).toBeUndefined();
  });

  it('needs the key to read a record even when its id is known', async () => {
    const response = await rawRequest(`${demo.url}/text`, { headers: { 'x-loupe-key': KEY } });
    const url = `${demo.url}/__loupe/api/requests/${String(response.headers['x-loupe-id'])}`;
    expect((await rawRequest(url)).status).toBe(404);
    expect((await getJson<LoupeRecord>(url, { 'x-loupe-key': KEY })).status).toBe(200);
  });
});

describe('development mode access', () => {
  it('refuses API clients outside `allow` with a JSON 403, and still records their requests', async () => {
    const demoForOthers = await startDemo({ loupe: { mode: 'development', allow: ['10.0.0.0/8'] } });
    try {
      const page = await rawRequest(`${demoForOthers.url}/text`);
      expect(page.headers['x-loupe-id']).toBeDefined();
      const response = await getJson(`${demoForOthers.url}/__loupe/api/requests`);
      expect(response.status).toBe(403);
      expect(response.json).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    } finally {
      await demoForOthers.close();
    }
  });
});
