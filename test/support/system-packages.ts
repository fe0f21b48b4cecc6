import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True where tests may install what they need from Debian (root with apt-get, as on CI). */
export const canInstallPackages = () => process.getuid?.() === 0 && isExecutable('/usr/bin/apt-get');

/** Held around every apt-get call of the tests, across their processes. */
const APT_LOCK = join(tmpdir(), 'loupe-apt.lock');

/**
 * Installs a Debian package. Test files run at the same moment, each in its own process, and
 * apt-get waits for dpkg's lock but fails at once on the package lists' lock (two `update`s):
 * so each call holds one lock file of the tests' (`flock`, from util-linux) while it runs.
 */
export function aptInstall(debianPackage: string): void {
  const options = { stdio: 'pipe', timeout: 10 * 60_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } } as const;
  const aptGet = (...args: string[]) =>
    execFileSync('flock', ['--wait', '600', APT_LOCK, 'apt-get', '-o', 'DPkg::Lock::Timeout=300', ...args], options);
  aptGet('update');
  aptGet('install', '-y', '--no-install-recommends', debianPackage);
}
