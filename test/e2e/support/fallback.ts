import type { HTTPResponse, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { BrowserName, ExtensionBrowser } from '../../support/browsers.js';
import { openPanel, waitFor } from './devtools.js';
import { badgeOf, tabIdOf } from './extension-api.js';

/**
 * Firefox shows JSON and PDF responses in viewers of its own, which run no content scripts:
 * no overlay can be drawn there.
 */
export function showsNoContentScripts(name: BrowserName, response: HTTPResponse | null): boolean {
  const type = response?.headers()['content-type'] ?? '';
  return name === 'firefox' && /^application\/(json|[^;]+\+json|pdf)\b/.test(type);
}

/**
 * Where no overlay can be drawn, the user still finds the page's record: the badge shows its
 * server time, the button's title its request line, and the DevTools panel lists it.
 */
export async function expectFallbackShows(session: ExtensionBrowser, page: Page, path: string, id: string): Promise<void> {
  const badge = await waitFor(() => badgeOf(session, page), ({ text }) => /^\d/.test(text), 'the server time on the badge');
  expect(badge.title).toContain(`GET ${path} → `);
  expect(badge.title).toMatch(/ → \d{3}, server \d/);
  const panel = await openPanel(session, await tabIdOf(session, page));
  await panel.waitForSelector(`tr[data-request-id="${id}"]`);
  await panel.close();
}
