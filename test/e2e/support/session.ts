import type { HTTPResponse, Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { createDemoApp, type DemoApp } from '../../../demo/app.js';
import type { LoupeOptions } from '../../../server-middleware/index.js';
import { startServer, type RunningServer } from '../../support/http.js';
import { launchWithExtension, type BrowserName, type ExtensionBrowser } from '../../support/browsers.js';
import { EXTENSION_DIR, ensureExtensionBuilt } from './extension.js';

/** `name` with a fresh build of the extension; one at a time, the machines are small. */
export async function openExtensionBrowser(name: BrowserName): Promise<ExtensionBrowser> {
  ensureExtensionBuilt();
  return launchWithExtension(name, EXTENSION_DIR);
}

/** The `X-Loupe-Id` the server gave a response, as the page saw it. */
export function loupeIdOf(response: HTTPResponse | null): string | undefined {
  return response?.headers()['x-loupe-id'];
}

/** Collects the Loupe ids of a page's responses by path, e.g. `/api/items` → id. */
export function collectLoupeIds(page: Page): Map<string, string> {
  const ids = new Map<string, string>();
  page.on('response', (response) => {
    const id = loupeIdOf(response);
    if (id !== undefined) {
      const url = new URL(response.url());
      ids.set(url.pathname + url.search, id);
    }
  });
  return ids;
}

/**
 * Setting up may have to install a browser from Debian on a fresh machine: minutes, not the
 * two the e2e project gives hooks.
 */
export const BROWSER_SETUP_TIMEOUT_MS = 15 * 60_000;

export interface DemoSession extends ExtensionBrowser {
  server: RunningServer;
}

/**
 * Registers hooks that start the demo app with Loupe (development mode unless `loupe` says
 * otherwise) and browser `name` with the extension for the enclosing suite; returns the
 * running pair.
 */
export function useDemoSession(name: BrowserName, loupe: LoupeOptions = { mode: 'development' }): () => DemoSession {
  let demo: DemoApp | undefined;
  let session: DemoSession | undefined;
  beforeAll(async () => {
    demo = createDemoApp({ loupe });
    const server = await startServer(demo.app);
    session = { ...(await openExtensionBrowser(name)), server };
  }, BROWSER_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await session?.browser.close();
    await session?.server.close();
    await demo?.loupe?.close();
  });
  return () => {
    if (session === undefined) throw new Error('The demo session starts in beforeAll');
    return session;
  };
}
