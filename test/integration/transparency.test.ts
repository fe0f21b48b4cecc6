import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { loupe } from '../../server-middleware/index.js';
import { rawRequest, sendRaw, startServer, type RawResponse, type RunningServer } from '../support/http.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

/** Headers that differ between any two responses, or that are Loupe's own. */
const EXPECTED_DIFFERENCES = new Set(['date', 'x-loupe-id', 'x-loupe-api', 'server-timing']);

function comparableHeaders(response: RawResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => !EXPECTED_DIFFERENCES.has(name)));
}

let withLoupe: RunningDemo;
let without: RunningDemo;
beforeAll(async () => {
  [withLoupe, without] = await Promise.all([startDemo({ loupe: { mode: 'development' } }), startDemo({ loupe: false })]);
});
afterAll(async () => {
  await Promise.all([withLoupe.close(), without.close()]);
});

const CASES: Array<{ path: string; method?: string; headers?: Record<string, string> }> = [
  { path: '/' },
  { path: '/api/items' },
  { path: '/api/items/3' },
  { path: '/text' },
  { path: '/image.png' },
  { path: '/logo.svg' },
  { path: '/data.xml' },
  { path: '/gzip', headers: { 'accept-encoding': 'gzip' } },
  { path: '/gzip', headers: { 'accept-encoding': 'identity' } },
  { path: '/stream' },
  { path: '/events?count=2' },
  { path: '/redirect' },
  { path: '/download' },
  { path: '/missing' },
  { path: '/error' },
  { path: '/', method: 'HEAD' },
  { path: '/api/items', headers: { 'if-none-match': 'W/"98-1Y6mSIOnJf2Fr0iGTHY6v3tj96s"' } },
];

describe('Loupe never touches the response', () => {
  it.each(CASES)('$path $headers: same status, headers and body bytes as without Loupe', async ({ path, method, headers }) => {
    const [a, b] = await Promise.all([
      rawRequest(withLoupe.url + path, { method, headers }),
      rawRequest(without.url + path, { method, headers }),
    ]);
    expect(a.headers['x-loupe-id']).toBeDefined();
    expect(b.headers['x-loupe-id']).toBeUndefined();
    expect(a.status).toBe(b.status);
    expect(comparableHeaders(a)).toEqual(comparableHeaders(b));
    expect(a.body.equals(b.body)).toBe(true);
  });
});

/** Express behaviours a middleware could break, on one app built twice: with Loupe first, and without. */
function behaviours(withLoupe: boolean): express.Express {
  const app = express();
  // Express's own error page prints the stack in development, and any middleware adds its frames.
  app.set('env', 'production');
  if (withLoupe) app.use(loupe({ mode: 'development' }));
  app.use('/compressed', compression({ threshold: 0 }));
  app.use('/static', express.static(STATIC));
  app.get('/file', (_req, res) => res.sendFile('alphabet.txt', { root: STATIC }));
  app.get('/json', (_req, res) => {
    res.json({ items: Array.from({ length: 50 }, (_, i) => ({ i })) });
  });
  app.get('/compressed/page', (_req, res) => {
    res.type('html').send('<p>compressible</p>'.repeat(500));
  });
  app.get('/compressed/stream', async (_req, res) => {
    res.type('text/plain');
    for (let i = 0; i < 5; i++) {
      res.write(`line ${i}\n`.repeat(50));
      (res as unknown as { flush(): void }).flush();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    res.end();
  });
  app.get('/chunked', async (_req, res) => {
    res.flushHeaders();
    for (let i = 0; i < 3; i++) {
      res.write(`part ${i}\n`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    res.end();
  });
  app.get('/headers-sent', (_req, res) => {
    const before = res.headersSent;
    res.write('written\n');
    res.end(JSON.stringify({ before, after: res.headersSent }));
  });
  app.get('/trailers', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Checksum' });
    res.write('body\n');
    res.addTrailers({ 'X-Checksum': 'abc123' });
    res.end();
  });
  app.get('/moved', (_req, res) => res.redirect(301, '/json'));
  app.get('/teapot', (_req, _res, next) => next(Object.assign(new Error('short and stout'), { status: 418 })));
  app.get('/thrown', () => {
    throw new Error('thrown by a handler');
  });
  app.get('/async-rejected', async () => {
    throw new Error('rejected by a handler');
  });
  app.use('/handled', (_req, _res, next) => next(new Error('for the error handler')));
  app.use('/handled', (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(422).json({ handled: error.message, headersSent: res.headersSent });
  });
  return app;
}

const STATIC = fileURLToPath(new URL('../fixtures/static/', import.meta.url));

/** A WebSocket echo on the server: upgrades never pass through Express, nor through Loupe. */
function echoWebSockets(server: RunningServer): void {
  const sockets = new WebSocketServer({ server: server.server });
  sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo ${String(data)}`)));
}

describe('Express behaviours are the same with and without Loupe', () => {
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([startServer(behaviours(true)), startServer(behaviours(false))]);
    echoWebSockets(a);
    echoWebSockets(b);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const last = new Date(Date.now() + 60_000).toUTCString();
  const cases: Array<{ name: string; path: string; method?: string; headers?: Record<string, string> }> = [
    { name: 'ETag on JSON', path: '/json' },
    { name: 'HEAD on JSON', path: '/json', method: 'HEAD' },
    { name: 'static file', path: '/static/alphabet.txt' },
    { name: 'HEAD on a static file', path: '/static/alphabet.txt', method: 'HEAD' },
    { name: 'If-Modified-Since → 304', path: '/static/alphabet.txt', headers: { 'if-modified-since': last } },
    { name: 'Range: first bytes', path: '/static/alphabet.txt', headers: { range: 'bytes=0-9' } },
    { name: 'Range: suffix', path: '/file', headers: { range: 'bytes=-5' } },
    { name: 'Range: open end', path: '/file', headers: { range: 'bytes=990-' } },
    { name: 'Range: unsatisfiable → 416', path: '/file', headers: { range: 'bytes=5000-6000' } },
    { name: 'Range: several', path: '/file', headers: { range: 'bytes=0-1,5-6' } },
    { name: 'If-Range with a stale ETag', path: '/file', headers: { range: 'bytes=0-9', 'if-range': '"stale"' } },
    { name: 'gzip', path: '/compressed/page', headers: { 'accept-encoding': 'gzip' } },
    { name: 'brotli', path: '/compressed/page', headers: { 'accept-encoding': 'br' } },
    { name: 'deflate', path: '/compressed/page', headers: { 'accept-encoding': 'deflate' } },
    { name: 'no encoding', path: '/compressed/page', headers: { 'accept-encoding': 'identity' } },
    { name: 'compressed stream with flush', path: '/compressed/stream', headers: { 'accept-encoding': 'gzip' } },
    { name: 'chunked stream', path: '/chunked' },
    { name: 'res.headersSent', path: '/headers-sent' },
    { name: 'redirect', path: '/moved' },
    { name: 'HEAD redirect', path: '/moved', method: 'HEAD' },
    { name: 'next(error) with a status', path: '/teapot' },
    { name: 'thrown error', path: '/thrown' },
    { name: 'rejected promise', path: '/async-rejected' },
    { name: 'error handler', path: '/handled' },
    { name: 'OPTIONS', path: '/json', method: 'OPTIONS' },
    { name: 'unknown route', path: '/nowhere' },
  ];

  it.each(cases)('$name', async ({ path, method, headers }) => {
    const [withLoupe, without] = await Promise.all([rawRequest(a.url + path, { method, headers }), rawRequest(b.url + path, { method, headers })]);
    expect(withLoupe.headers['x-loupe-id']).toBeDefined();
    expect(withLoupe.status).toBe(without.status);
    expect(comparableHeaders(withLoupe)).toEqual(comparableHeaders(without));
    expect(withLoupe.body.equals(without.body)).toBe(true);
  });

  it('on the wire: HTTP/1.0, pipelined requests and Expect: 100-continue', async () => {
    // Loupe's own header lines and the date differ; every other byte must not.
    const normalised = (raw: Buffer) =>
      raw.toString('latin1').replace(/^(date|x-loupe-id|x-loupe-api|server-timing): .*\r\n/gim, '');
    const exchanges = [
      'GET /json HTTP/1.0\r\n\r\n',
      'GET /json HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /moved HTTP/1.1\r\nHost: localhost\r\n\r\nGET /chunked HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      'GET /headers-sent HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody',
    ];
    for (const exchange of exchanges) {
      const [withLoupe, without] = await Promise.all([sendRaw(a.port, exchange), sendRaw(b.port, exchange)]);
      expect(withLoupe.raw.toString('latin1')).toMatch(/x-loupe-id/i);
      expect(normalised(withLoupe.raw), exchange).toBe(normalised(without.raw));
    }
  });

  it('trailers', async () => {
    const trailersOf = (url: string) =>
      new Promise<string[]>((resolve, reject) => {
        get(`${url}/trailers`, (res) => {
          res.resume();
          res.on('end', () => resolve(res.rawTrailers));
        }).on('error', reject);
      });
    const [withLoupe, without] = await Promise.all([trailersOf(a.url), trailersOf(b.url)]);
    expect(withLoupe).toEqual(['X-Checksum', 'abc123']);
    expect(withLoupe).toEqual(without);
  });

  it('upgrade to WebSocket: the same handshake and messages', async () => {
    const handshake = (port: number) =>
      sendRaw(
        port,
        'GET /socket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        1000,
      );
    const echo = (url: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/socket`);
        socket.on('open', () => socket.send('hello'));
        socket.on('message', (data) => {
          resolve(String(data));
          socket.close();
        });
        socket.on('error', reject);
      });
    const [withLoupe, without] = await Promise.all([echo(a.url), echo(b.url)]);
    expect(withLoupe).toBe('echo hello');
    expect(withLoupe).toBe(without);
    // The socket stays open after the handshake, so the raw read ends by its timeout.
    const [rawA, rawB] = await Promise.all([handshake(a.port), handshake(b.port)]);
    expect(rawA.status).toBe(101);
    expect(rawA.headers['sec-websocket-accept']).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(rawA).toEqual(rawB);
  });
});
