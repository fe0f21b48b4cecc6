import { randomBytes } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loupe, type LoupeMiddleware } from '../../server-middleware/index.js';
import type { CpuProfile } from '../../shared/profile.js';
import { HEADERS } from '../../shared/protocol.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest, startServer, type RunningServer } from '../support/http.js';

const API = '/__loupe/api';

function workInThisProcess(until: number, x = 1): number {
  while (performance.now() < until) for (let i = 0; i < 10_000; i++) x = (x * 48271) % 2147483647;
  return x;
}

describe('request profiles with a one-process store (memory)', () => {
  let middleware: LoupeMiddleware;
  let server: RunningServer;

  beforeAll(async () => {
    middleware = loupe({ mode: 'development' });
    const app = express();
    app.use(middleware);
    app.get('/work', (_req, res) => {
      res.json({ result: workInThisProcess(performance.now() + 60) });
    });
    server = await startServer(app);
  });
  afterAll(async () => {
    await server?.close();
    await middleware?.close();
  });

  async function recordWork(): Promise<string> {
    const response = await rawRequest(`${server.url}/work`);
    expect(response.status).toBe(200);
    return response.headers[HEADERS.id.toLowerCase()] as string;
  }

  it('cuts its own records’ profiles when they are read, naming this instance', async () => {
    const id = await recordWork();
    const stored = (await middleware.store.get(id))!;
    // Lazy: nothing is cut until someone reads the record.
    expect(stored.panels.profile).toMatchObject({ status: 'pending', instance: expect.stringContaining(`:${process.pid}:`) });

    const { json } = await getJson<LoupeRecord>(`${server.url}${API}/requests/${id}`);
    expect(json.panels.profile?.status).toBe('ready');
    expect(json.panels.profile?.topSelf.map((row) => row.functionName)).toContain('workInThisProcess');
    const cpuProfile = await getJson<CpuProfile>(`${server.url}${API}/requests/${id}/profile`);
    expect(cpuProfile.status).toBe(200);
    expect(cpuProfile.json.nodes.map((node) => node.callFrame.functionName)).toContain('workInThisProcess');
  });

  it('reads a pending profile of another instance, or of none named, as expired: never cut from its own samples', async () => {
    const id = await recordWork();
    const original = (await middleware.store.get(id))!;
    const pending = original.panels.profile!;
    // As a file store holds them after a restart: made by an earlier process, on its clock.
    for (const instance of ['elsewhere:1:abcdefgh', undefined]) {
      const copyId = randomBytes(16).toString('base64url');
      await middleware.store.save({ ...original, id: copyId, panels: { ...original.panels, profile: { ...pending, instance } } });
      const { json } = await getJson<LoupeRecord>(`${server.url}${API}/requests/${copyId}`);
      expect(json.panels.profile).toMatchObject({ status: 'expired', samples: 0, topSelf: [] });
      const answer = await getJson<{ error: { code: string } }>(`${server.url}${API}/requests/${copyId}/profile`);
      expect(answer.status).toBe(410);
      expect(answer.json.error.code).toBe('profile_expired');
    }
    // The original, read only now, is still this instance's to cut.
    const { json } = await getJson<LoupeRecord>(`${server.url}${API}/requests/${id}`);
    expect(json.panels.profile?.status).toBe('ready');
  });
});
