import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopProcess, useServer } from './servers.js';
import { aptInstall, canInstallPackages, isExecutable } from './system-packages.js';

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops the server (its data is gone: nothing is saved). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
}

function findRedisServer(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  return dirs.map((dir) => join(dir, 'redis-server')).find(isExecutable) ?? null;
}

/**
 * `redis-server` from the PATH; when missing, installed from Debian if this runs as root with
 * apt-get (as on a fresh CI machine), else a failure that says what to install.
 */
function redisServerBinary(): string {
  const found = findRedisServer();
  if (found !== null) return found;
  if (canInstallPackages()) {
    aptInstall('redis-server');
    const installed = findRedisServer();
    if (installed !== null) return installed;
  }
  throw new Error(
    'These tests need a real redis-server on the PATH: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).',
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`redis-server did not listen on port ${port} within 10 s`);
}

/** A throwaway redis-server on a free loopback port, persisting nothing. */
export async function startRedis(): Promise<RunningRedis> {
  const binary = redisServerBinary();
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPort(port, child);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (running !== null) await stopProcess(running, 'SIGKILL');
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, restart: start };
}

/**
 * A redis-server for the enclosing test file or describe block: started before its tests
 * (installing it may take minutes on a fresh machine), stopped after them.
 */
export function useRedis(): () => RunningRedis {
  return useServer('redis-server', startRedis);
}
