import express4 from 'express4';
import type { NextFunction, Request, Response } from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { loupe } from '../../server-middleware/index.js';
import { rawRequest, startServer } from '../support/http.js';
import { recordOf } from './panels-app.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((close) => close()));
  cleanup = [];
});

/** Express 4's router publishes nothing: its layers are wrapped instead. */
async function startExpress4() {
  const app = express4();
  const middleware = loupe({ mode: 'development', profile: false });
  app.use(middleware);
  app.use(function auth(_req: Request, _res: Response, next: NextFunction) {
    next();
  });
  app.get('/users/:id', function showUser(req: Request, res: Response) {
    res.send(`user ${req.params.id}`);
  });
  app.get('/throws', () => {
    throw new TypeError('thrown under Express 4');
  });
  app.get('/next', (_req: Request, _res: Response, next: NextFunction) => {
    next(new Error('passed to next under Express 4'));
  });
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).send(`handled: ${error.message}`);
  });
  const server = await startServer(app);
  cleanup.push(async () => {
    await server.close();
    await middleware.close();
  });
  return server;
}

describe('timeline and errors panels under Express 4', () => {
  it('puts the middleware chain and the route handler on the timeline', async () => {
    const server = await startExpress4();
    const response = await rawRequest(`${server.url}/users/7`);
    const record = await recordOf(server.url, response);
    const rows = record.panels.timeline!.entries.map((entry) => `${entry.kind}:${entry.name}`);
    expect(rows).toEqual(['middleware:auth', 'handler:GET /users/:id showUser']);
    expect(record.panels.errors).toBeUndefined();
  });

  it.each([
    ['/throws', 'TypeError', 'thrown under Express 4'],
    ['/next', 'Error', 'passed to next under Express 4'],
  ])('records the error of %s once, where it started', async (path, name, message) => {
    const server = await startExpress4();
    const response = await rawRequest(server.url + path);
    expect(response.body.toString()).toBe(`handled: ${message}`);
    const record = await recordOf(server.url, response);
    expect(record.panels.errors!.errors).toMatchObject([{ source: 'handler', name, message }]);
    expect(record.panels.errors!.errors[0]!.stack).toContain('panels-express4.test.ts');
  });
});
