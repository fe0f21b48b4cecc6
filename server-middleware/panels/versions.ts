import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VersionsStats } from '../../shared/panels.js';
import type { ResolvedOptions } from '../options.js';
import { redactEnvironment } from '../redact.js';
import type { Panel } from './panel.js';

function readJson(path: string): { name?: string; version?: string } | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
  } catch {
    return null;
  }
}

/** Loupe's own version, from the nearest package.json named `loupe-toolbar` above this file. */
function loupeVersion(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = readJson(join(dir, 'package.json'));
    if (pkg?.name === 'loupe-toolbar') return pkg.version ?? null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The Express the app resolves, from the app's directory rather than Loupe's. */
function expressVersion(): string | null {
  try {
    const appRequire = createRequire(join(process.cwd(), 'index.js'));
    return readJson(appRequire.resolve('express/package.json'))?.version ?? null;
  } catch {
    return null;
  }
}

function settingsOf(options: ResolvedOptions): VersionsStats['settings'] {
  return {
    mode: options.mode,
    apiBase: options.apiBase,
    keys: options.keys.length,
    authorize: options.authorize !== null,
    allow: typeof options.allow === 'function' ? 'custom' : options.allow.join(', '),
    allowedHosts: options.allowedHosts === true ? 'any' : options.allowedHosts.join(', '),
    captureBodies: options.captureBodies,
    maxRecords: options.bounds.maxRecords,
    maxBytes: options.bounds.maxBytes,
    maxAgeMs: options.bounds.maxAgeMs,
  };
}

/** Versions and Loupe's settings: the same for every request, so found once. */
export function versionsPanel(options: ResolvedOptions): Panel<VersionsStats> {
  let versions: VersionsStats | null = null;
  return {
    id: 'versions',
    stats() {
      // Frozen: stores serialise it once for all records (see stores/record-json.ts).
      versions ??= Object.freeze({
        node: process.versions.node,
        v8: process.versions.v8,
        loupe: loupeVersion(),
        express: expressVersion(),
        platform: process.platform,
        arch: process.arch,
        pid: process.pid,
        settings: settingsOf(options),
        environment: redactEnvironment(process.env, options.redactNames, options.limits),
      });
      return versions;
    },
  };
}
