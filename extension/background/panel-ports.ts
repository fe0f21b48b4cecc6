import browser, { type Runtime } from 'webextension-polyfill';
import { TAB_LOG_PORT, type TabLog } from '../messages.js';

/** The DevTools panels following each tab, by tab id. */
const panels = new Map<number, Set<Runtime.Port>>();

/**
 * A DevTools panel opens a port named after its tab and gets the tab's log at once and after
 * every change, so its request list is live without polling.
 */
export function acceptPanels(initialLog: (tabId: number) => Promise<TabLog>): void {
  browser.runtime.onConnect.addListener((port) => {
    if (!port.name.startsWith(TAB_LOG_PORT)) return;
    const tabId = Number(port.name.slice(TAB_LOG_PORT.length));
    if (!Number.isInteger(tabId)) return port.disconnect();
    let group = panels.get(tabId);
    if (group === undefined) panels.set(tabId, (group = new Set()));
    group.add(port);
    port.onDisconnect.addListener(() => {
      group.delete(port);
      if (group.size === 0) panels.delete(tabId);
    });
    void initialLog(tabId).then((log) => port.postMessage(log));
  });
}

export function pushToPanels(tabId: number, log: TabLog): void {
  for (const port of panels.get(tabId) ?? []) port.postMessage(log);
}
