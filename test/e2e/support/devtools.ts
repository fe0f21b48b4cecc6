import type { Browser, Extension, Page } from 'puppeteer-core';
import { eventually } from './overlay.js';

/** The browser's id of the tab `page` shows, asked of the extension's service worker. */
export async function tabIdOf(browser: Browser, extension: Extension, page: Page): Promise<number> {
  const target = await browser.waitForTarget(
    (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith(`chrome-extension://${extension.id}/`),
  );
  const worker = (await target.worker())!;
  const url = page.url();
  // A string: the test's types know nothing of the extension's `chrome` global.
  const id = (await worker.evaluate(
    `chrome.tabs.query({}).then((tabs) => tabs.find((tab) => tab.url === ${JSON.stringify(url)})?.id ?? null)`,
  )) as number | null;
  if (id === null) throw new Error(`No tab shows ${url}`);
  return id;
}

/** The panel page opened on its own, following the tab `tabId`, as DevTools would show it. */
export async function openPanel(browser: Browser, extension: Extension, tabId: number): Promise<Page> {
  const panel = await browser.newPage();
  await panel.setViewport({ width: 1280, height: 760 });
  await panel.goto(`chrome-extension://${extension.id}/panel.html?tabId=${tabId}`);
  await panel.waitForSelector('.app');
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
