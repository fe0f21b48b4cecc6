import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../shared/protocol.js';
import { rawRequest } from '../support/http.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemo({ loupe: { mode: 'development' } });
});
afterAll(() => demo.close());

interface Kind {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  status: number;
  contentType: RegExp | null;
  route: string | null;
  encoding?: string;
  streamed?: boolean;
}

const KINDS = ([
  { path: '/', status: 200, contentType: /^text\/html/, route: '/' },
  { path: '/api/items', status: 200, contentType: /^application\/json/, route: '/api/items' },
  { path: '/api/items/2?sort=name', status: 200, contentType: /^application\/json/, route: '/api/items/:id' },
  { path: '/text', status: 200, contentType: /^text\/plain/, route: '/text' },
  { path: '/image.png', status: 200, contentType: /^image\/png/, route: '/image.png' },
  { path: '/logo.svg', status: 200, contentType: /^image\/svg\+xml/, route: '/logo.svg' },
  { path: '/data.xml', status: 200, contentType: /^application\/xml/, route: '/data.xml' },
  {
    path: '/gzip',
    headers: { 'accept-encoding': 'gzip' },
    status: 200,
    contentType: /^text\/html/,
    route: '/gzip',
    encoding: 'gzip',
    streamed: true,
  },
  { path: '/stream', status: 200, contentType: /^text\/plain/, route: '/stream', streamed: true },
  { path: '/events?count=3', status: 200, contentType: /^text\/event-stream/, route: '/events', streamed: true },
  { path: '/sse', status: 200, contentType: /^text\/html/, route: '/sse' },
  { path: '/redirect', status: 302, contentType: /^text\/plain/, route: '/redirect' },
  { path: '/download', status: 200, contentType: /^text\/csv/, route: '/download' },
  { path: '/missing', status: 404, contentType: /^text\/plain/, route: null },
  { path: '/error', status: 500, contentType: /^text\/plain/, route: '/error' },
  { path: '/', method: 'HEAD', status: 200, contentType: /^text\/html/, route: '/' },
] as Kind[]).map((kind) => ({ method: 'GET', ...kind }));

describe('every kind of response is tagged and recorded', () => {
  it.each(KINDS)('$method $path → $status', async (kind) => {
    const response = await rawRequest(demo.url + kind.path, { method: kind.method, headers: kind.headers });
    expect(response.status).toBe(kind.status);
    const id = response.headers['x-loupe-id'];
    expect(id).toMatch(ID_PATTERN);
    expect(response.headers['x-loupe-api']).toBe('/__loupe/api');
    expect(response.headers['server-timing']).toMatch(/^total;dur=\d+(\.\d+)?;desc="Loupe: time to headers"$/);

    const record = await demo.recordOf(response);
    expect(record).toMatchObject({ id, version: 1, state: 'complete', aborted: false, skipped: [] });
    expect(record.request).toMatchObject({
      method: kind.method,
      url: kind.path,
      route: kind.route,
      clientIp: '127.0.0.1',
    });
    expect(record.response.status).toBe(kind.status);
    expect(record.response.contentType ?? '').toMatch(kind.contentType ?? /^$/);
    expect(record.response.encoding).toBe(kind.encoding ?? null);
    expect(record.response.streamed).toBe(kind.streamed ?? false);
    expect(record.response.bytes).toBe(response.body.length);
    expect(record.response.headers['x-loupe-id']).toBe(id);

    const timer = record.panels.timer!;
    for (const field of [
      'totalMs', 'userCpuMs', 'systemCpuMs', 'cpuMs', 'voluntaryContextSwitches', 'involuntaryContextSwitches',
      'minorPageFaults', 'majorPageFaults', 'eventLoopDelayMaxMs', 'eventLoopUtilization', 'gcTotalMs', 'concurrentRequests',
    ] as const) {
      expect(timer[field], field).toBeGreaterThanOrEqual(0);
    }
    expect(timer.totalMs).toBeLessThan(10_000);
    expect(timer.cpuMs).toBeCloseTo(timer.userCpuMs + timer.systemCpuMs, 2);
    expect(timer.headersMs).toBeLessThanOrEqual(timer.totalMs);
    expect(timer.eventLoopUtilization).toBeLessThanOrEqual(1);
    expect(record.durationMs).toBe(timer.totalMs);
    expect(record.panels.versions).toMatchObject({ node: process.versions.node, loupe: '0.1.0', express: expect.stringMatching(/^5\./) });
  });

  it('a 304 Not Modified carries the headers too', async () => {
    const first = await rawRequest(`${demo.url}/api/items`);
    const etag = String(first.headers.etag);
    const revalidated = await rawRequest(`${demo.url}/api/items`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers['x-loupe-id']).toMatch(ID_PATTERN);
    const record = await demo.recordOf(revalidated);
    expect(record.response).toMatchObject({ status: 304, bytes: 0, streamed: false });
  });

  it('a streamed response has its id before the body ends, and its record waits until complete', async () => {
    const { request } = await import('node:http');
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${demo.url}/stream`, (res) => {
        resolve(res.headers);
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    const id = String(headers['x-loupe-id']);
    const pending = await rawRequest(`${demo.url}/__loupe/api/requests/${id}`);
    const pendingRecord = JSON.parse(pending.body.toString());
    expect(pendingRecord).toMatchObject({ id, state: 'pending', request: { url: '/stream' }, response: { status: 200 } });
    expect(pendingRecord.panels.timer.totalMs).toBeLessThan(900);

    const complete = await rawRequest(`${demo.url}/__loupe/api/requests/${id}?wait=5000`);
    const record = JSON.parse(complete.body.toString());
    expect(record).toMatchObject({ id, state: 'complete', response: { streamed: true } });
    expect(record.panels.timer.totalMs).toBeGreaterThanOrEqual(900);
  });

  it('wall time and CPU tell a sleeping route from a busy one', async () => {
    const slow = await demo.recordOf(await rawRequest(`${demo.url}/slow?ms=200`));
    expect(slow.panels.timer!.totalMs).toBeGreaterThanOrEqual(195);
    expect(slow.panels.timer!.cpuMs).toBeLessThan(slow.panels.timer!.totalMs / 2);

    const busy = await demo.recordOf(await rawRequest(`${demo.url}/cpu?n=400000`));
    expect(busy.panels.timer!.totalMs).toBeGreaterThan(5);
    // On a loaded machine the process is descheduled for part of the wall time: the busy
    // route's share of CPU stays far above the sleeping one's all the same.
    expect(busy.panels.timer!.cpuMs).toBeGreaterThan(busy.panels.timer!.totalMs * 0.3);
    expect(busy.panels.timer!.cpuMs / busy.panels.timer!.totalMs).toBeGreaterThan(
      (4 * slow.panels.timer!.cpuMs) / slow.panels.timer!.totalMs,
    );
  });

  it('counts the requests that overlapped one another', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => rawRequest(`${demo.url}/slow?ms=150`)));
    const records = await Promise.all(responses.map((response) => demo.recordOf(response)));
    for (const record of records) expect(record.panels.timer!.concurrentRequests).toBe(4);
  });
});
