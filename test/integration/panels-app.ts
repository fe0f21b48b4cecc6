import express, { type Express } from 'express';
import { afterEach } from 'vitest';
import { loupe, type LoupeOptions } from '../../server-middleware/index.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, rawRequest, startServer, type RawResponse, type RunningServer } from '../support/http.js';

export interface LoupeApp extends RunningServer {
  /** Requests `path` and reads back its complete record. */
  record(path: string): Promise<{ response: RawResponse; record: LoupeRecord }>;
}

/** The complete record of a response, read through the API of the server that answered it. */
export async function recordOf(url: string, response: RawResponse): Promise<LoupeRecord> {
  const id = String(response.headers['x-loupe-id']);
  const { status, json } = await getJson<LoupeRecord>(`${new URL(url).origin}/__loupe/api/requests/${id}?wait=5000`);
  if (status !== 200) throw new Error(`record ${id}: HTTP ${status}`);
  return json;
}

/**
 * Registers cleanup for this test file and returns a starter: an Express app with Loupe in
 * development (no profiler: these tests are about the instrumentation), its routes added by
 * `routes`, on a loopback port.
 */
export function useLoupeApps(): (routes: (app: Express) => void, options?: LoupeOptions) => Promise<LoupeApp> {
  const running: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((close) => close()));
  });
  return async (routes, options = {}) => {
    const app = express();
    const middleware = loupe({ mode: 'development', profile: false, ...options });
    app.use(middleware);
    routes(app);
    const server = await startServer(app);
    const close = async () => {
      await server.close();
      await middleware.close();
    };
    running.push(close);
    return {
      ...server,
      close,
      async record(path) {
        const response = await rawRequest(server.url + path);
        return { response, record: await recordOf(server.url, response) };
      },
    };
  };
}
