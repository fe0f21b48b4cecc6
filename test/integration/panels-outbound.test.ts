import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, startServer } from '../support/http.js';
import { useLoupeApps } from './panels-app.js';

const startApp = useLoupeApps();

/** `http.get`, reading the whole body, as an app would. */
function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('outbound HTTP panel', () => {
  it('records http.get and fetch calls with status, time, bytes, a redacted URL and the other side’s Loupe record', async () => {
    const other = await startApp((app) => {
      app.get('/users', (_req, res) => {
        res.json([{ id: 1 }]);
      });
    });
    const app = await startApp((app) => {
      app.get('/calls', async (_req, res) => {
        const viaHttp = await httpGet(`${other.url}/users?api_key=s3cret&page=2`);
        const viaFetch = await (await fetch(`${other.url}/users`, { method: 'GET' })).text();
        res.send(viaHttp + viaFetch);
      });
    });
    const { record } = await app.record('/calls');
    const calls = record.panels.outbound!.calls;
    expect(calls.map(({ via, method, url, status, bytes, error }) => ({ via, method, url, status, bytes, error }))).toEqual([
      { via: 'http', method: 'GET', url: `${other.url}/users?api_key=[redacted]&page=2`, status: 200, bytes: 10, error: null },
      { via: 'fetch', method: 'GET', url: `${other.url}/users`, status: 200, bytes: 10, error: null },
    ]);
    for (const call of calls) {
      expect(call.durationMs).toBeGreaterThan(0);
      expect(call.startMs + call.durationMs!).toBeLessThanOrEqual(record.durationMs!);
      // The link leads to the other side's own record of this very call.
      const { status, json } = await getJson<LoupeRecord>(call.loupe!.url);
      expect(status).toBe(200);
      expect(json.id).toBe(call.loupe!.id);
      expect(json.request.path).toBe('/users');
    }
  });

  it('records a call that failed, and no link when the other side runs no Loupe', async () => {
    const plain = await startServer((_req, res) => res.end('plain'));
    const closed = await startServer((_req, res) => res.end());
    await closed.close();
    const app = await startApp((app) => {
      app.get('/calls', async (_req, res) => {
        await fetch(`${plain.url}/x?pad=${'p'.repeat(5000)}`).then((response) => response.text());
        await fetch(`${closed.url}/gone`).catch(() => undefined);
        res.send('ok');
      });
    });
    try {
      const { record } = await app.record('/calls');
      const [ok, failed] = record.panels.outbound!.calls;
      expect(ok).toMatchObject({ status: 200, loupe: null, error: null });
      expect(ok!.url.length, 'a long URL is cut').toBeLessThan(2100);
      expect(ok!.url).toMatch(/… \(\d+ more\)$/);
      expect(failed).toMatchObject({ url: `${closed.url}/gone`, status: 0 });
      expect(failed!.error).toMatch(/ECONNREFUSED|fetch failed|connect/i);
    } finally {
      await plain.close();
    }
  });
});
