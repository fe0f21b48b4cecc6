import type { Page } from 'puppeteer-core';
import type { ExtensionBrowser } from '../../support/browsers.js';
import { eventually } from './overlay.js';

/** The panel page opened on its own, following the tab `tabId`, as DevTools would show it. */
export async function openPanel(session: ExtensionBrowser, tabId: number): Promise<Page> {
  const panel = await session.openExtensionPage(`panel.html?tabId=${tabId}`, '.app');
  await panel.setViewport({ width: 1280, height: 760 });
  return panel;
}

/** The request list's URL column, top to bottom (newest first). */
export function listedUrls(panel: Page): Promise<string[]> {
  return panel.$$eval('.requests-table tbody tr .url', (cells) => cells.map((cell) => cell.textContent ?? ''));
}

/** The profile table's function column, top to bottom. */
export function profileFunctions(panel: Page): Promise<string[]> {
  return panel.$$eval('.profile-table tbody .fn', (cells) => cells.map((cell) => cell.textContent ?? ''));
}

/** Waits until `read` gives a value `check` accepts; returns it. */
export async function waitFor<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeout = 10_000): Promise<T> {
  let value: T | undefined;
  await eventually(
    async () => check((value = await read())),
    () => `${what} (last seen: ${JSON.stringify(value)})`,
    timeout,
  );
  return value!;
}

/** The panel's text in `selector`, '' when absent. */
export async function textOf(panel: Page, selector: string): Promise<string> {
  const element = await panel.$(selector);
  return element === null ? '' : ((await element.evaluate((node) => node.textContent)) ?? '');
}
