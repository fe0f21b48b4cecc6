import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXTENSION_DIR = join(ROOT, 'dist', 'extension');

/** What the extension build reads: a change to any of them makes dist/extension stale. */
const SOURCES = ['manifest.json', 'package.json', 'extension', 'shared'];

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** Builds the extension unless dist/extension is newer than everything it is built from. */
export function ensureExtensionBuilt(): void {
  const built = join(EXTENSION_DIR, 'manifest.json');
  const fresh = existsSync(built) && statSync(built).mtimeMs >= Math.max(...SOURCES.map((source) => newestMtime(join(ROOT, source))));
  if (!fresh) execFileSync('npm', ['run', 'build:extension'], { cwd: ROOT, stdio: 'pipe' });
}
