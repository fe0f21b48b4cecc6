import { tracingChannel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { getJson, rawRequest } from '../support/http.js';
import { useLoupeApps } from './panels-app.js';
import type { LoupeRecord } from '../../shared/record.js';

const startApp = useLoupeApps();
const router = tracingChannel('express.router.request');
const keyed = { 'x-loupe-key': 'k' };

describe('instrumentation in production', () => {
  it("listens only while keyed requests are in flight and a moment after, so the public's requests take Express's untraced path", async () => {
    const seen: boolean[] = [];
    const app = await startApp(
      (app) => {
        app.get('/work', (_req, res) => {
          seen.push(router.start.hasSubscribers);
          console.log('working');
          res.send('done');
        });
      },
      { mode: 'production', keys: ['k'], sampleEvery: 0, instrumentation: { hooksLingerMs: 300 } },
    );
    await rawRequest(`${app.url}/work`);
    const response = await rawRequest(`${app.url}/work`, { headers: keyed });
    // Still listening just after: a keyed session's next request must not make them come and go.
    await rawRequest(`${app.url}/work`);
    await rawRequest(`${app.url}/work`, { headers: keyed });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await rawRequest(`${app.url}/work`);
    expect(seen).toEqual([false, true, true, true, false]);
    expect(router.start.hasSubscribers).toBe(false);
    // The request context was switched off with the hooks, and comes back with the next keyed request.
    const again = await rawRequest(`${app.url}/work`, { headers: keyed });
    const { json: later } = await getJson<LoupeRecord>(`${app.url}/__loupe/api/requests/${String(again.headers['x-loupe-id'])}?wait=5000`, keyed);
    expect(later.panels.logs?.entries).toEqual([expect.objectContaining({ message: 'working' })]);

    const id = String(response.headers['x-loupe-id']);
    const { json } = await getJson<LoupeRecord>(`${app.url}/__loupe/api/requests/${id}?wait=5000`, keyed);
    expect(json.panels.logs?.entries).toEqual([expect.objectContaining({ message: 'working' })]);
    expect(json.panels.timeline?.entries).toContainEqual(expect.objectContaining({ kind: 'handler' }));
  });
});
