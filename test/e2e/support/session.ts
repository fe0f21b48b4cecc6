import type { Browser, Extension, HTTPResponse, Page } from 'puppeteer-core';
import { launchChromiumWithExtension } from '../../support/browsers.js';
import { EXTENSION_DIR, ensureExtensionBuilt } from './extension.js';

export interface ExtensionBrowser {
  browser: Browser;
  extension: Extension;
}

/** Chromium with a fresh build of the extension; one per test file, the machines are small. */
export async function openExtensionBrowser(): Promise<ExtensionBrowser> {
  ensureExtensionBuilt();
  return launchChromiumWithExtension(EXTENSION_DIR);
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
