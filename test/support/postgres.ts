import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { stopProcess } from './servers.js';
import { aptInstall, canInstallPackages } from './system-packages.js';

export interface RunningPostgres {
  /** Connection settings for `pg`: the server listens on a Unix socket in its own folder only. */
  connection: { host: string; user: string; database: string };
  stop(): Promise<void>;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

function newestBinDir(): string | null {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT).sort((a, b) => Number(b) - Number(a));
  const found = versions.map((version) => join(DEBIAN_ROOT, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  return found ?? null;
}

/** The server's binaries from Debian's packages, installed first when missing and allowed (CI runs as root). */
function postgresBinDir(): string {
  const found = newestBinDir();
  if (found !== null) return found;
  if (canInstallPackages()) {
    aptInstall('postgresql');
    const installed = newestBinDir();
    if (installed !== null) return installed;
  }
  throw new Error('These tests need PostgreSQL: install it (Debian/Ubuntu: apt-get install postgresql).');
}

/** PostgreSQL refuses to run as root: then it runs as Debian's `postgres` user. */
function runAs(dir: string): SpawnOptions {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  const owner = { uid: id('-u'), gid: id('-g') };
  chownSync(dir, owner.uid, owner.gid);
  return owner;
}

/** A throwaway PostgreSQL cluster in a temporary folder, reachable only through its socket there. */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'loupe-pg-'));
  const owner = runAs(dir);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], { ...owner, stdio: 'ignore' });
  const server: ChildProcess = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-k', dir, '-c', 'listen_addresses=', '-c', 'fsync=off'],
    { ...owner, stdio: 'ignore' },
  );
  const connection = { host: dir, user: 'postgres', database: 'postgres' };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client(connection);
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      if (server.exitCode !== null || Date.now() > deadline) {
        server.kill('SIGKILL');
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}`);
      }
      await sleep(100);
    }
  }
  return {
    connection,
    async stop() {
      await stopProcess(server, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
