import { createServer } from 'node:http';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { loupe } from '../../server-middleware/index.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest, startServer, type RunningServer } from '../support/http.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function recordOf(base: string, id: unknown, apiBase = '/__loupe/api'): Promise<LoupeRecord> {
  const { json } = await getJson<LoupeRecord>(`${base}${apiBase}/requests/${String(id)}?wait=2000`);
  return json;
}

describe('Express 4', () => {
  it('records routes of nested routers with their full pattern', async () => {
    const app = express4();
    app.use(loupe({ mode: 'development' }));
    const users = express4.Router();
    users.get('/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    app.use('/users', users);
    server = await startServer(app);

    const response = await rawRequest(`${server.url}/users/42`);
    expect(response.body.toString()).toBe('{"id":"42"}');
    const record = await recordOf(server.url, response.headers['x-loupe-id']);
    expect(record.request).toMatchObject({ method: 'GET', url: '/users/42', route: '/users/:id' });
  });

  it('serves the API when Loupe is mounted under a path', async () => {
    const app = express4();
    app.use('/debug', loupe({ mode: 'development' }));
    app.get('/debug/page', (_req, res) => {
      res.send('ok');
    });
    server = await startServer(app);
    const response = await rawRequest(`${server.url}/debug/page`);
    expect(response.headers['x-loupe-api']).toBe('/debug/__loupe/api');
    const record = await recordOf(server.url, response.headers['x-loupe-id'], '/debug/__loupe/api');
    expect(record.request.url).toBe('/debug/page');
  });
});

describe('plain node:http', () => {
  it('records through the same handler, with the app as `next`', async () => {
    const handler = loupe({ mode: 'development' });
    const app = createServer((req, res) => {
      handler(req, res, () => {
        res.writeHead(201, { 'content-type': 'text/plain' });
        res.write('a');
        res.end('bc');
      });
    });
    server = await startServer((req, res) => app.emit('request', req, res));
    const response = await rawRequest(`${server.url}/plain?x=1`);
    expect(response.status).toBe(201);
    expect(response.body.toString()).toBe('abc');
    const record = await recordOf(server.url, response.headers['x-loupe-id']);
    expect(record.request).toMatchObject({ url: '/plain?x=1', route: null, query: { x: '1' } });
    expect(record.response).toMatchObject({ status: 201, bytes: 3, streamed: true });
    await handler.close();
  });
});
