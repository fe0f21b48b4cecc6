import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest, sendRaw, type WireAnswer } from '../support/http.js';
import { startAppChild, type AppChild } from '../support/app-child.js';

const MiB = 2 ** 20;
/** Headers that differ between any two responses, or that are Loupe's own. */
const LOUPE_AND_DATE = new Set(['date', 'x-loupe-id', 'x-loupe-api', 'server-timing']);
const withoutLoupeHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !LOUPE_AND_DATE.has(name)));

async function recordIn(app: AppChild, id: string): Promise<LoupeRecord> {
  const { status, json } = await getJson<LoupeRecord>(`${app.url}/__loupe/api/requests/${id}?wait=10000`);
  expect(status).toBe(200);
  return json;
}

/** A minimal Chrome DevTools Protocol client, as a debugger attached to `--inspect` is. */
async function attachDebugger(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const events: string[] = [];
  const answers = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; method?: string; result?: unknown; error?: unknown };
    if (message.id !== undefined) answers.get(message.id)?.(message);
    else if (message.method !== undefined) events.push(message.method);
  });
  let serial = 0;
  const send = <T,>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++serial;
      answers.set(id, (message) => (message.error === undefined ? resolve(message.result as T) : reject(new Error(JSON.stringify(message.error)))));
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, events, close: () => socket.close() };
}

/** The same requests to two servers: their answers, for comparing. */
async function bothAnswer(a: AppChild, b: AppChild, paths: string[]): Promise<Array<[WireAnswer, WireAnswer, string]>> {
  const pairs: Array<[WireAnswer, WireAnswer, string]> = [];
  for (const path of paths) {
    const request = `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;
    const [answerA, answerB] = await Promise.all([sendRaw(a.port, request), sendRaw(b.port, request)]);
    pairs.push([answerA, answerB, path]);
  }
  return pairs;
}

function expectSameAnswers(pairs: Array<[WireAnswer, WireAnswer, string]>): void {
  for (const [a, b, path] of pairs) {
    expect(a.status, path).toBe(b.status);
    expect(withoutLoupeHeaders(a.headers), path).toEqual(withoutLoupeHeaders(b.headers));
    expect(a.body.equals(b.body), path).toBe(true);
  }
}

let bare: AppChild;
beforeAll(async () => {
  bare = await startAppChild(false);
});
afterAll(() => bare.close());

describe('the inspector taken by a debugger or by --cpu-prof', () => {
  it('with --inspect and a debugger profiling: Loupe stays out of the profiler, says so, and the app answers as without it', { timeout: 60_000 }, async () => {
    const app = await startAppChild({ mode: 'development' }, ['--inspect=127.0.0.1:0']);
    try {
      const errors = await app.errors();
      expect(errors).toEqual([expect.stringMatching(/^CPU profiling: the inspector is open for a debugger \(ws:\/\//)]);
      const debuggerClient = await attachDebugger(/\((ws:\/\/[^)]+)\)/.exec(errors[0]!)![1]!);
      await debuggerClient.send('Profiler.enable');
      await debuggerClient.send('Profiler.setSamplingInterval', { interval: 500 });
      await debuggerClient.send('Profiler.start');

      expectSameAnswers(await bothAnswer(app, bare, ['/', '/api/items', '/text', '/cpu?n=200000', '/profile/', '/text?profile', '/missing']));
      const page = await rawRequest(`${app.url}/cpu?n=200000`);
      const record = await recordIn(app, String(page.headers['x-loupe-id']));
      expect(record.skipped).toEqual([{ panel: 'profile', reason: expect.stringMatching(/inspector is open for a debugger/) }]);
      expect(record.panels.profile).toBeUndefined();
      expect(record.panels.timer!.cpuMs).toBeGreaterThan(0);

      // The debugger's own profile is whole, and it never heard of Loupe's.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { profile } = await debuggerClient.send<{ profile: { nodes: unknown[]; samples: number[] } }>('Profiler.stop');
      expect(profile.samples.length).toBeGreaterThan(100);
      expect(debuggerClient.events.filter((event) => event.startsWith('Profiler.consoleProfile'))).toEqual([]);
      debuggerClient.close();
      expect(await app.errors()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('with a debugger attached later (SIGUSR1): Loupe steps aside within a segment, says so, and the app answers as without it', { timeout: 60_000 }, async () => {
    // Port 0: the inspector SIGUSR1 opens listens wherever it can, not on the shared 9229.
    const app = await startAppChild({ mode: 'development' }, ['--inspect-port=127.0.0.1:0']);
    try {
      expect(await app.errors()).toEqual([]);
      const before = await recordIn(app, String((await rawRequest(`${app.url}/cpu?n=200000`)).headers['x-loupe-id']));
      expect(before.panels.profile).toMatchObject({ status: expect.stringMatching(/^(pending|ready)$/) });

      app.child.kill('SIGUSR1');
      const errors = await vi.waitFor(
        async () => {
          const found = await app.errors();
          expect(found, 'Loupe to step aside').not.toEqual([]);
          return found;
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(errors).toEqual([expect.stringMatching(/^CPU profiling: the inspector is open for a debugger \(ws:\/\//)]);
      const debuggerClient = await attachDebugger(/\((ws:\/\/[^)]+)\)/.exec(errors[0]!)![1]!);
      await debuggerClient.send('Profiler.enable');

      // The request profiled before the debugger came keeps its profile; later ones say why they have none.
      const { json: earlier } = await getJson<LoupeRecord>(`${app.url}/__loupe/api/requests/${before.id}`);
      expect(earlier.panels.profile!.status).toBe('ready');
      const after = await recordIn(app, String((await rawRequest(`${app.url}/cpu?n=200000`)).headers['x-loupe-id']));
      expect(after.panels.profile).toBeUndefined();
      expect(after.skipped).toEqual([{ panel: 'profile', reason: expect.stringMatching(/inspector is open for a debugger/) }]);
      expectSameAnswers(await bothAnswer(app, bare, ['/', '/api/items', '/text?profile', '/missing']));

      // Two segments' time: the debugger hears of none of Loupe's profiles.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(debuggerClient.events.filter((event) => event.startsWith('Profiler.consoleProfile'))).toEqual([]);
      debuggerClient.close();
      expect(await app.errors()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('with --cpu-prof: Loupe stays out, says so, and node writes its profile at exit', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-cpu-prof-'));
    try {
      const app = await startAppChild({ mode: 'development' }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      try {
        expect(await app.errors()).toEqual([expect.stringMatching(/^CPU profiling: node runs with --cpu-prof/)]);
        expectSameAnswers(await bothAnswer(app, bare, ['/api/items', '/cpu?n=200000', '/text?profile']));
      } finally {
        await app.close();
      }
      // One file per thread (tsx's loader runs in one of its own); the main thread's ran the app.
      const profiles = readdirSync(dir)
        .filter((file) => file.endsWith('.cpuprofile'))
        .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Array<{ callFrame: { functionName: string } }> });
      expect(profiles.some((profile) => profile.nodes.some((node) => node.callFrame.functionName === 'countPrimes'))).toBe(true);
    } finally {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('big, broken and abandoned responses', () => {
  let app: AppChild;
  beforeAll(async () => {
    app = await startAppChild({ mode: 'development' });
  });
  afterAll(() => app.close());

  /** Reads `path`, throwing the body away; stops after `stopAfter` bytes when given. */
  function drain(path: string, stopAfter = Infinity): Promise<{ id: string; bytes: number }> {
    return new Promise((resolve, reject) => {
      const req = get(`${app.url}${path}`, (res) => {
        let bytes = 0;
        const id = String(res.headers['x-loupe-id']);
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= stopAfter) {
            req.destroy();
            resolve({ id, bytes });
          }
        });
        res.on('end', () => resolve({ id, bytes }));
      });
      req.on('error', (error) => (stopAfter === Infinity ? reject(error) : undefined));
    });
  }

  it('streams 1 GiB through Loupe with flat memory, and records every byte', { timeout: 120_000 }, async () => {
    const before = await app.heap();
    await app.peak();
    const { id, bytes } = await drain('/big?mb=1024');
    const peak = await app.peak();
    expect(bytes).toBe(1024 * MiB);
    const record = await recordIn(app, id);
    expect(record.response).toMatchObject({ status: 200, bytes: 1024 * MiB, streamed: true });
    expect(record.aborted).toBe(false);
    const after = await app.heap();
    console.info(
      `1 GiB stream: RSS ${(before.rss / MiB).toFixed(0)} MiB before, peak ${(peak.rss / MiB).toFixed(0)} MiB; ` +
        `heap after GC ${(before.heapUsed / MiB).toFixed(1)} → ${(after.heapUsed / MiB).toFixed(1)} MiB`,
    );
    expect((peak.rss - before.rss) / MiB).toBeLessThan(100);
    expect((peak.external - before.external) / MiB).toBeLessThan(64);
    expect((after.heapUsed - before.heapUsed) / MiB).toBeLessThan(10);
  });

  it('a client that leaves a big stream early: the stream stops, the record says aborted, the process lives', { timeout: 60_000 }, async () => {
    const { id, bytes } = await drain('/big?mb=1024', 8 * MiB);
    const record = await recordIn(app, id);
    expect(record).toMatchObject({ state: 'complete', aborted: true, response: { status: 200, headersSent: true } });
    expect(record.response.bytes).toBeGreaterThanOrEqual(bytes);
    expect(record.response.bytes).toBeLessThan(512 * MiB);
    expect(app.alive()).toBe(true);
    expect((await rawRequest(`${app.url}/text`)).status).toBe(200);
  });

  it('a handler that throws after the headers: the same broken answer as without Loupe, and the record says what happened', async () => {
    const [withLoupe, without] = (await bothAnswer(app, bare, ['/throw-after-headers']))[0]!;
    expect(withLoupe.status).toBe(without.status);
    expect(withLoupe.body.toString()).toBe('partial body\n');
    expect(withLoupe.body.equals(without.body)).toBe(true);
    expect(withoutLoupeHeaders(withLoupe.headers)).toEqual(withoutLoupeHeaders(without.headers));
    const record = await recordIn(app, withLoupe.headers['x-loupe-id']!);
    expect(record).toMatchObject({ state: 'complete', aborted: true, response: { status: 200, headersSent: true, bytes: 13 } });
    expect(JSON.stringify(record.panels.errors)).toContain('thrown after the headers were sent');
    expect(app.alive()).toBe(true);
  });
});
