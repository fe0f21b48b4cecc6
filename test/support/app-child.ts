import { once } from 'node:events';
import type { LoupeOptions } from '../../server-middleware/index.js';
import { ask, startServerChild, type ServerChild } from '../bench/child.js';

export interface AppChild extends ServerChild {
  url: string;
  /** Memory after a full GC in the child. */
  heap(): Promise<NodeJS.MemoryUsage>;
  /** Highest RSS and external memory since the last call. */
  peak(): Promise<{ rss: number; external: number }>;
  /** What Loupe reported through onError, as `where: message`. */
  errors(): Promise<string[]>;
  usage(): Promise<{ records: number; bytes: number } | null>;
  alive(): boolean;
  close(): Promise<void>;
}

/** The demo app (see test/fixtures/loupe-app.ts) in its own process, with Loupe's options or without it. */
export async function startAppChild(loupe: LoupeOptions | false, execArgv: string[] = []): Promise<AppChild> {
  const server = await startServerChild('../fixtures/loupe-app.ts', [JSON.stringify({ loupe })], {
    execArgv: ['--expose-gc', ...execArgv],
  });
  const { child } = server;
  return {
    ...server,
    url: `http://127.0.0.1:${server.port}`,
    heap: () => ask(child, 'heap'),
    peak: () => ask(child, 'peak'),
    errors: () => ask(child, 'errors'),
    usage: () => ask(child, 'usage'),
    alive: () => child.exitCode === null && child.signalCode === null,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      await once(child, 'exit');
    },
  };
}
