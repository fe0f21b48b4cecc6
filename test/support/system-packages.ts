import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

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

/**
 * Installs a Debian package. Test files run at the same moment: apt-get waits for another's
 * lock instead of failing.
 */
export function aptInstall(debianPackage: string): void {
  const options = { stdio: 'pipe', timeout: 10 * 60_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } } as const;
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=300'];
  execFileSync('apt-get', [...waitForLock, 'update'], options);
  execFileSync('apt-get', [...waitForLock, 'install', '-y', '--no-install-recommends', debianPackage], options);
}
