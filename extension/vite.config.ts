import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type EnvironmentOptions, type Plugin } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}dist/extension`;

/**
 * Every script of the extension is a classic script: content scripts cannot be ES modules,
 * and the same background file must run as a Chromium service worker and as a Firefox
 * background script. Rolldown writes an IIFE for one entry at a time, so each entry is a
 * build environment of its own.
 */
const ENTRIES = {
  background: 'extension/background/index.ts',
  content: 'extension/content/index.tsx',
  options: 'extension/options/index.tsx',
  devtools: 'extension/devtools/devtools.ts',
  panel: 'extension/devtools/index.tsx',
} as const;

/** The DevTools pages' own files, kept beside their code. */
const DEVTOOLS_PAGES = ['devtools.html', 'panel.html', 'panel.css'];

function entryEnvironment(name: string, input: string, first: boolean): EnvironmentOptions {
  return {
    consumer: 'client',
    build: {
      outDir,
      emptyOutDir: first,
      copyPublicDir: first,
      rolldownOptions: {
        input: `${root}${input}`,
        output: { format: 'iife', entryFileNames: `${name}.js` },
      },
    },
  };
}

/**
 * Writes the root manifest.json into the build, its version taken from package.json, and the
 * DevTools pages beside it.
 *
 * `npm run lint:ext` (web-ext lint) reports no errors and four warnings, all expected:
 * - BACKGROUND_SERVICE_WORKER_IGNORED: one manifest serves both browsers; Chromium runs
 *   `background.service_worker`, Firefox ignores it and runs `background.scripts`.
 * - UNSAFE_VAR_ASSIGNMENT in content.js, options.js and panel.js: Preact's renderer
 *   supports `dangerouslySetInnerHTML`, which the linter finds in the bundled library. No
 *   component uses it: recorded data is rendered as text nodes only.
 */
function manifest(): Plugin {
  return {
    name: 'loupe-manifest',
    apply: 'build',
    generateBundle() {
      if (this.environment.name !== 'background') return;
      const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
      const source = JSON.parse(readFileSync(`${root}manifest.json`, 'utf8')) as Record<string, unknown>;
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.json',
        source: JSON.stringify({ ...source, version: pkg.version }, null, 2) + '\n',
      });
      for (const fileName of DEVTOOLS_PAGES) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(`${root}extension/devtools/${fileName}`, 'utf8') });
      }
    },
  };
}

export default defineConfig({
  root,
  publicDir: `${root}extension/public`,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', minify: false, sourcemap: false },
  plugins: [manifest()],
  environments: Object.fromEntries(
    Object.entries(ENTRIES).map(([name, input], index) => [name, entryEnvironment(name, input, index === 0)]),
  ),
  builder: {
    async buildApp(builder) {
      // In order: the first build empties the output folder.
      for (const name of Object.keys(ENTRIES)) await builder.build(builder.environments[name]!);
    },
  },
});
