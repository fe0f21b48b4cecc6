import { createDemoApp, type DemoOptions } from '../../demo/app.js';
import type { LoupeMiddleware } from '../../server-middleware/index.js';
import type { LoupeRecord } from '../../shared/record.js';
import { getJson, startServer, type RawResponse, type RunningServer } from './http.js';

export interface RunningDemo extends RunningServer {
  loupe: LoupeMiddleware | null;
  /** The complete record of a response, read back through the API. */
  recordOf(response: RawResponse, headers?: Record<string, string>): Promise<LoupeRecord>;
}

/** The demo app on a free loopback port, with or without Loupe. */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const { app, loupe } = createDemoApp(options);
  const server = await startServer(app);
  return {
    ...server,
    loupe,
    async recordOf(response, headers = {}) {
      const id = response.headers['x-loupe-id'];
      const api = response.headers['x-loupe-api'];
      if (typeof id !== 'string' || typeof api !== 'string') throw new Error('response carries no Loupe headers');
      const { status, json } = await getJson<LoupeRecord>(`${server.url}${api}/requests/${id}?wait=5000`, headers);
      if (status !== 200) throw new Error(`record ${id}: HTTP ${status} ${JSON.stringify(json)}`);
      return json;
    },
    async close() {
      await server.close();
      await loupe?.close();
    },
  };
}
