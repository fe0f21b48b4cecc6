import type { Browser, Page } from 'puppeteer-core';
import type { ExtensionBrowser } from '../../support/browsers.js';

/** One extension page per browser, kept open to call the extension's APIs from. */
const apiPages = new WeakMap<Browser, Promise<Page>>();

/**
 * Evaluates `expression` in one of the extension's pages, where `chrome.tabs` and
 * `chrome.action` exist in both browsers. A string: the test's types know nothing of the
 * extension's `chrome` global.
 */
export async function callExtensionApi<T>(session: ExtensionBrowser, expression: string): Promise<T> {
  let page = apiPages.get(session.browser);
  if (page === undefined) apiPages.set(session.browser, (page = session.openExtensionPage('options.html', 'form')));
  return (await (await page).evaluate(expression)) as T;
}

/** The browser's id of the tab `page` shows. */
export async function tabIdOf(session: ExtensionBrowser, page: Page): Promise<number> {
  const url = page.url();
  const id = await callExtensionApi<number | null>(
    session,
    `chrome.tabs.query({}).then((tabs) => tabs.find((tab) => tab.url === ${JSON.stringify(url)})?.id ?? null)`,
  );
  if (id === null) throw new Error(`No tab shows ${url}`);
  return id;
}

/** The action's badge text and title in the tab `page` shows. */
export async function badgeOf(session: ExtensionBrowser, page: Page): Promise<{ text: string; title: string }> {
  const tabId = await tabIdOf(session, page);
  return callExtensionApi(
    session,
    `Promise.all([chrome.action.getBadgeText({ tabId: ${tabId} }), chrome.action.getTitle({ tabId: ${tabId} })]).then(([text, title]) => ({ text, title }))`,
  );
}

/** Every tab's badge text, sorted, blanks left out: the badge is per tab. */
export async function badges(session: ExtensionBrowser): Promise<string[]> {
  const texts = await callExtensionApi<string[]>(
    session,
    `chrome.tabs.query({}).then((tabs) => Promise.all(tabs.map((tab) => chrome.action.getBadgeText({ tabId: tab.id }))))`,
  );
  return texts.filter((text) => text !== '').sort();
}
