import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';

/** Stops a server process the tests started, if it still runs, and waits until it has exited. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/**
 * A server for the enclosing test file or describe block: started before its tests
 * (installing it may take minutes on a fresh machine), stopped after them.
 */
export function useServer<Server extends { stop(): Promise<void> }>(name: string, start: () => Promise<Server>): () => Server {
  let server: Server | undefined;
  beforeAll(async () => {
    server = await start();
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error(`${name} has not started`);
    return server;
  };
}
