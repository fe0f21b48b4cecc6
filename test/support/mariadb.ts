import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { stopProcess } from './servers.js';
import { aptInstall, canInstallPackages, isExecutable } from './system-packages.js';

export interface RunningMariaDb {
  /** Connection settings for `mysql2`: the server listens on a Unix socket in its own folder only. */
  connection: { socketPath: string; user: string; database: string };
  stop(): Promise<void>;
}

const SERVER = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

/** The server from Debian's packages, installed first when missing and allowed (CI runs as root). */
function ensureMariaDb(): void {
  if (isExecutable(SERVER) && isExecutable(INSTALL_DB)) return;
  if (canInstallPackages()) {
    aptInstall('mariadb-server');
    if (isExecutable(SERVER) && isExecutable(INSTALL_DB)) return;
  }
  throw new Error('These tests need MariaDB: install it (Debian/Ubuntu: apt-get install mariadb-server).');
}

/**
 * A throwaway MariaDB server in a temporary folder, reachable only through its socket there,
 * with one database, `loupe`. It reads no configuration file, so the machine's own MariaDB
 * setup (or a running system server) changes nothing.
 */
export async function startMariaDb(): Promise<RunningMariaDb> {
  ensureMariaDb();
  const dir = mkdtempSync(join(tmpdir(), 'loupe-mariadb-'));
  const data = join(dir, 'data');
  // mariadbd refuses to run as root unless told to.
  const asUser = process.getuid?.() === 0 ? ['--user=root'] : [];
  execFileSync(INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asUser], {
    stdio: 'ignore',
  });
  const socketPath = join(dir, 'mariadb.sock');
  const server: ChildProcess = spawn(
    SERVER,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socketPath}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      '--skip-networking',
      '--innodb-buffer-pool-size=16M',
      ...asUser,
    ],
    { stdio: 'ignore' },
  );
  const root = { socketPath, user: 'root' };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const connection = await mysql.createConnection(root);
      await connection.query('CREATE DATABASE loupe');
      await connection.end();
      break;
    } catch (error) {
      if (server.exitCode !== null || Date.now() > deadline) {
        server.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`MariaDB did not start: ${(error as Error).message}`);
      }
      await sleep(100);
    }
  }
  return {
    connection: { ...root, database: 'loupe' },
    async stop() {
      await stopProcess(server, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
