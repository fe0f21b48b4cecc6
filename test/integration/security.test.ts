import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../server-middleware/options.js';
import type { CpuProfile } from '../../shared/profile.js';
import { getJson, rawRequest, type RawResponse } from '../support/http.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { recordOf, useLoupeApps } from './panels-app.js';

const REBINDING_HOST = 'rebind.attacker.example';

function expectPlainJsonError(response: RawResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(response.body.toString())).toEqual({ error: { code, message: expect.any(String) } });
  expectNoCors(response);
}

function expectNoCors(response: RawResponse): void {
  expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
}

describe('development access', () => {
  let demo: RunningDemo;
  let api: string;
  beforeAll(async () => {
    demo = await startDemo({ loupe: { mode: 'development', allowedHosts: ['myapp.test'] } });
    api = `${demo.url}/__loupe/api`;
  });
  afterAll(() => demo.close());

  it('refuses a DNS-rebinding page (a foreign Host on loopback) with a plain JSON 403', async () => {
    for (const host of [REBINDING_HOST, `${REBINDING_HOST}:${demo.port}`, `localhost.${REBINDING_HOST}`]) {
      expectPlainJsonError(await rawRequest(`${api}/requests`, { headers: { host } }), 403, 'forbidden');
    }
  });

  it('answers local host names, IP addresses and the configured hosts, with no CORS headers', async () => {
    for (const host of [`localhost:${demo.port}`, `127.0.0.1:${demo.port}`, `[::1]:${demo.port}`, 'myapp.test', 'app.localhost']) {
      const response = await rawRequest(`${api}/requests?limit=1`, {
        headers: { host, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect(response.status, host).toBe(200);
      expectNoCors(response);
    }
  });

  it('answers a CORS preflight with a JSON 405 that allows nothing', async () => {
    const preflight = await rawRequest(`${api}/profile`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
    });
    expectPlainJsonError(preflight, 405, 'method_not_allowed');
  });

  it('refuses cross-site state changes, and allows same-origin ones and the extension', async () => {
    const crossSite: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: `http://other.localhost:${demo.port}` },
      { origin: 'null' },
      { origin: 'https://evil.example' },
    ];
    for (const headers of crossSite) {
      expectPlainJsonError(await rawRequest(`${api}/profile`, { method: 'DELETE', headers }), 403, 'cross_site');
    }
    const allowed: Array<Record<string, string>> = [
      {},
      { 'sec-fetch-site': 'same-origin', origin: demo.url },
      { 'sec-fetch-site': 'none' },
      { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' },
    ];
    for (const headers of allowed) {
      const response = await rawRequest(`${api}/profile`, { method: 'DELETE', headers });
      expect(response.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it('gives a rebinding page the app’s own /profile/ and ?profile answers, not the statistics', async () => {
    const page = await rawRequest(`${demo.url}/profile/`, { headers: { host: REBINDING_HOST } });
    expect(page.status).toBe(404);
    expect(page.body.toString()).toBe('Nothing at /profile/\n');
    const single = await rawRequest(`${demo.url}/text?profile`, { headers: { host: REBINDING_HOST } });
    expect(single.body.toString()).toBe('Plain text from the Loupe demo.\n');
  });
});

describe('production access', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo({ loupe: { mode: 'production', keys: ['operator-key'] } });
  });
  afterAll(() => demo.close());

  it('leaves /profile/, ?profile and the API to the app for wrong keys, byte for byte', async () => {
    const without = await startDemo({ loupe: false });
    try {
      for (const path of ['/profile/', '/profile', '/text?profile', '/__loupe/api/profile', '/__loupe/api/requests/AAAAAAAAAAAAAAAAAAAAAA']) {
        for (const headers of [{}, { 'x-loupe-key': 'operator-ke' }, { 'x-loupe-key': '' }] as Array<Record<string, string>>) {
          const [a, b] = await Promise.all([rawRequest(demo.url + path, { headers }), rawRequest(without.url + path, { headers })]);
          expect(a.status, path).toBe(b.status);
          expect(a.body.equals(b.body), path).toBe(true);
          expect(a.headers['x-loupe-id']).toBeUndefined();
        }
      }
      const refused = await rawRequest(`${demo.url}/__loupe/api/profile`, { method: 'DELETE', headers: { 'x-loupe-key': 'wrong' } });
      expect(refused.body.toString()).toBe('Nothing at /__loupe/api/profile\n');
    } finally {
      await without.close();
    }
  });
});

describe('redaction before storage', () => {
  const start = useLoupeApps();

  it('stores no credential of the request or the response', async () => {
    const app = await start((routes) =>
      routes.get('/login', (_req, res) => {
        res.cookie('session', 'server-session-secret').setHeader('x-api-secret', 'response-secret');
        res.send('ok');
      }),
    { redactHeaders: ['X-Api-Secret'], redactNames: ['pin'] },
    );
    const response = await rawRequest(`${app.url}/login?user=ann&password=p1&access_token=t1&pin=1234&page=2`, {
      headers: {
        authorization: 'Bearer auth-secret',
        'proxy-authorization': 'Basic proxy-secret',
        cookie: 'theme=dark; sid=cookie-secret',
        'x-loupe-key': 'key-secret',
        'x-api-secret': 'header-secret',
      },
    });
    const record = await recordOf(app.url, response);
    const stored = JSON.stringify(record);
    for (const secret of ['auth-secret', 'proxy-secret', 'cookie-secret', 'key-secret', 'header-secret', 'server-session-secret', 'response-secret', 'p1', 't1', '1234']) {
      expect(stored).not.toContain(secret);
    }
    expect(record.request.url).toBe(`/login?user=ann&password=${REDACTED}&access_token=${REDACTED}&pin=${REDACTED}&page=2`);
    expect(record.request.cookies).toEqual({ theme: 'dark', sid: REDACTED });
    expect(record.response.headers['set-cookie']).toBe(REDACTED);
  });

  it('shows settings and the environment redacted in the versions panel', async () => {
    process.env.LOUPE_TEST_DATABASE_URL = 'postgres://app:env-db-secret@db:5432/app';
    process.env.LOUPE_TEST_API_TOKEN = 'env-token-secret';
    try {
      const app = await start(() => {}, { keys: ['settings-key-secret'] });
      const { record } = await app.record('/nothing');
      const versions = record.panels.versions!;
      expect(versions.settings.keys).toBe(1);
      expect(versions.environment.LOUPE_TEST_API_TOKEN).toBe(REDACTED);
      expect(versions.environment.LOUPE_TEST_DATABASE_URL).toBe(`postgres://app:${REDACTED}@db:5432/app`);
      for (const secret of ['settings-key-secret', 'env-db-secret', 'env-token-secret']) expect(JSON.stringify(record)).not.toContain(secret);
    } finally {
      delete process.env.LOUPE_TEST_DATABASE_URL;
      delete process.env.LOUPE_TEST_API_TOKEN;
    }
  });
});

describe('bounds of one record', () => {
  const start = useLoupeApps();
  const echo = (app: express.Express) => {
    app.post('/echo', express.text({ type: '*/*', limit: '5mb' }), (req, res) => {
      res.json({ received: Buffer.byteLength(String(req.body)) });
    });
    app.get('/many-headers', (_req, res) => {
      for (let i = 0; i < 150; i++) res.setHeader(`x-out-${i}`, 'v'.repeat(20));
      res.send('ok');
    });
  };

  it('keeps a capped number of headers and characters, with truncation markers', async () => {
    const app = await start(echo, { limits: { maxHeaders: 20, maxHeaderLength: 50 } });
    const headers: Record<string, string> = { 'x-long': 'L'.repeat(8000) };
    for (let i = 0; i < 200; i++) headers[`x-in-${i}`] = String(i);
    const response = await rawRequest(`${app.url}/many-headers`, { headers });
    expect(response.status).toBe(200);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('x-out-'))).toHaveLength(150);
    const record = await recordOf(app.url, response);
    expect(Object.keys(record.request.headers)).toHaveLength(21);
    expect(record.request.headers['[truncated]']).toMatch(/^\d+ more headers$/);
    expect(record.request.headers['x-long']).toBe(`${'L'.repeat(50)}… (7950 more)`);
    expect(Object.keys(record.response.headers)).toHaveLength(21);
    expect(record.response.headers['[truncated]']).toMatch(/^\d+ more headers$/);
  });

  it('captures request bodies only when enabled, up to the cap, redacted, and the app still reads all of it', async () => {
    const form = `user=ann&password=body-secret&${'a'.repeat(1_000_000)}`;
    const off = await start(echo);
    const offResponse = await rawRequest(`${off.url}/echo`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(JSON.parse(offResponse.body.toString())).toEqual({ received: form.length });
    expect((await recordOf(off.url, offResponse)).request.body).toBeUndefined();

    const on = await start(echo, { captureBodies: true, limits: { maxBodyBytes: 1000 } });
    const response = await rawRequest(`${on.url}/echo`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(JSON.parse(response.body.toString())).toEqual({ received: form.length });
    const { body } = (await recordOf(on.url, response)).request;
    expect(body).toMatchObject({ bytes: form.length, truncated: true, contentType: 'application/x-www-form-urlencoded' });
    expect(body!.text).toMatch(new RegExp(`^user=ann&password=\\${REDACTED.slice(0, -1)}\\]&a+$`));
    expect(body!.text!.length).toBeLessThanOrEqual(1000);
    expect(JSON.stringify(body)).not.toContain('body-secret');

    const json = await rawRequest(`${on.url}/echo`, { method: 'POST', body: '{"token":"json-secret","n":1}', headers: { 'content-type': 'application/json' } });
    expect((await recordOf(on.url, json)).request.body).toEqual({
      contentType: 'application/json',
      bytes: 29,
      truncated: false,
      text: `{"token":"${REDACTED}","n":1}`,
    });
    const binary = await rawRequest(`${on.url}/echo`, { method: 'POST', body: Buffer.alloc(64, 1), headers: { 'content-type': 'application/octet-stream' } });
    expect((await recordOf(on.url, binary)).request.body).toEqual({ contentType: 'application/octet-stream', bytes: 64, truncated: false, text: null });
  });

  it('bounds a request’s own CPU profile in nodes, with a (truncated) node', async () => {
    const app = await start(
      (routes) =>
        routes.get('/deep', (_req, res) => {
          // Many distinct stacks: recursion depths vary, so each sample adds paths.
          const recurse = (depth: number): number => (depth === 0 ? Math.sqrt(Math.random()) : recurse(depth - 1) + 1);
          const until = Date.now() + 300;
          let total = 0;
          while (Date.now() < until) total += recurse(Math.floor(Math.random() * 60));
          res.json({ total });
        }),
      { profile: { maxTreeNodes: 12, segmentMs: 200 } },
    );
    const response = await rawRequest(`${app.url}/deep`);
    const id = String(response.headers['x-loupe-id']);
    let profile: { status: number; json: CpuProfile } | undefined;
    for (let attempt = 0; attempt < 50 && profile?.status !== 200; attempt++) {
      profile = await getJson<CpuProfile>(`${app.url}/__loupe/api/requests/${id}/profile?wait=2000`);
      if (profile.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(profile!.status).toBe(200);
    const nodes = profile!.json.nodes;
    expect(nodes.length).toBeLessThanOrEqual(12);
    const truncated = nodes.find((node) => node.callFrame.functionName === '(truncated)');
    expect(truncated?.hitCount).toBeGreaterThan(0);
    expect(nodes[0]!.children).toContain(truncated!.id);
  });
});
