import browser from 'webextension-polyfill';
import { EMPTY_TAB, type TabState } from './tab-requests.js';

const PREFIX = 'tab:';

/**
 * Tab states live in storage.session so they survive the service worker being stopped, and
 * in memory so that updates apply synchronously: webRequest events arrive in bursts and an
 * async read-modify-write per event would lose some.
 */
const tabs = new Map<number, TabState>();

const loaded = browser.storage.session.get(null).then((stored) => {
  for (const [key, value] of Object.entries(stored)) {
    if (key.startsWith(PREFIX)) tabs.set(Number(key.slice(PREFIX.length)), value as TabState);
  }
});

export async function readTab(tabId: number): Promise<TabState> {
  await loaded;
  return tabs.get(tabId) ?? EMPTY_TAB;
}

export async function updateTab(tabId: number, change: (state: TabState) => TabState): Promise<TabState> {
  await loaded;
  const next = change(tabs.get(tabId) ?? EMPTY_TAB);
  tabs.set(tabId, next);
  await browser.storage.session.set({ [PREFIX + tabId]: next });
  return next;
}

export async function forgetTab(tabId: number): Promise<void> {
  await loaded;
  tabs.delete(tabId);
  await browser.storage.session.remove(PREFIX + tabId);
}

export async function allTabs(): Promise<ReadonlyMap<number, TabState>> {
  await loaded;
  return tabs;
}
