import browser, { type Runtime, type WebRequest } from 'webextension-polyfill';
import { API_LIMITS } from '../../shared/protocol.js';
import type { ApiAnswer, BackgroundMessage, RecordAnswer, TabView, TabViewPush, TrackedRequest, TrackedType } from '../messages.js';
import { loadSettings, onSettingsChanged, type Settings } from '../settings.js';
import { showBadge } from './badge.js';
import { isDownload, loupeHeaders } from './headers.js';
import { keyRules, replaceKeyRules } from './key-rules.js';
import { acceptPanels, pushToPanels } from './panel-ports.js';
import { callProfile, fetchRecord } from './records.js';
import {
  addRequest,
  apiRequestOf,
  currentPage,
  findRequest,
  isOn,
  logOf,
  navigate,
  toggled,
  viewOf,
  type TabState,
} from './tab-requests.js';
import { allTabs, forgetTab, readTab, updateTab } from './tab-store.js';

const WATCHED_TYPES: WebRequest.ResourceType[] = ['main_frame', 'sub_frame', 'xmlhttprequest', 'other'];

async function syncKeyRules(settings?: Settings): Promise<void> {
  const onTabIds = [...(await allTabs())].filter(([, state]) => isOn(state)).map(([tabId]) => tabId);
  await replaceKeyRules(keyRules(onTabIds, settings ?? (await loadSettings())));
}

/**
 * Tells the tab's top frame what changed instead of waiting to be asked (Firefox asks too
 * early), and the DevTools panels that follow the tab.
 */
function push(tabId: number, state: TabState): void {
  pushToPanels(tabId, logOf(state));
  const message: TabViewPush = { type: 'tab-view', view: viewOf(state) };
  browser.tabs.sendMessage(tabId, message, { frameId: 0 }).catch(() => {
    // No content script there (yet, or ever: a browser page, Firefox's JSON viewer).
  });
}

/** Shows the page's server time on the badge, and its record's summary in the title, once complete. */
async function badgePageTime(tabId: number, page: TrackedRequest): Promise<void> {
  const answer = await fetchRecord(page, API_LIMITS.waitMaxMs, await loadSettings());
  const state = await readTab(tabId);
  if (!answer.ok || currentPage(state)?.id !== page.id) return;
  await showBadge(tabId, state, answer.record);
}

async function onResponse(details: WebRequest.OnHeadersReceivedDetailsType): Promise<void> {
  const { tabId } = details;
  const loupe = loupeHeaders(details.responseHeaders, details.url);
  const download = details.type === 'main_frame' && isDownload(details.responseHeaders);
  const tracked: TrackedRequest | null =
    loupe === null
      ? null
      : {
          id: loupe.id,
          api: loupe.api,
          url: details.url,
          method: details.method,
          status: details.statusCode,
          type: download ? 'download' : (details.type as TrackedType),
          time: Date.now(),
          requestId: details.requestId,
        };
  if (details.type === 'main_frame' && !download) {
    // No other await before the update: events apply in the order they came only while each
    // waits for the stored tabs once. After the worker (re)started, a read first let the page's
    // first fetch land in the previous page's list, and navigate() then moved it out of view.
    let wasOn = false;
    const state = await updateTab(tabId, (current) => {
      wasOn = isOn(current);
      return navigate(current, details.requestId, tracked);
    });
    push(tabId, state);
    await showBadge(tabId, state);
    const page = currentPage(state);
    if (page !== null && isOn(state)) void badgePageTime(tabId, page);
    if (isOn(state) !== wasOn) await syncKeyRules();
  } else if (tracked !== null) {
    push(tabId, await updateTab(tabId, (current) => addRequest(current, tracked)));
  }
}

browser.webRequest.onHeadersReceived.addListener(
  (details) => {
    // Requests of no tab (the extension's own, service workers') are not a page's.
    if (details.tabId >= 0) void onResponse(details);
  },
  { urls: ['http://*/*', 'https://*/*'], types: WATCHED_TYPES },
  ['responseHeaders'],
);

browser.action.onClicked.addListener(async (tab) => {
  if (tab.id === undefined) return;
  const state = await updateTab(tab.id, toggled);
  push(tab.id, state);
  // The badge last: once it says "on", the tab's next requests carry the key.
  await syncKeyRules();
  await showBadge(tab.id, state);
});

// Browsers reset a tab's badge and title when its new page commits, which may come after
// the record was already shown (the headers arrive first): show it again once loaded.
browser.tabs.onUpdated.addListener(async (tabId, change) => {
  if (change.status !== 'complete') return;
  const state = await readTab(tabId);
  const page = currentPage(state);
  if (page !== null && isOn(state)) await badgePageTime(tabId, page);
  else await showBadge(tabId, state);
});

browser.tabs.onRemoved.addListener(async (tabId) => {
  await forgetTab(tabId);
  await syncKeyRules();
});

onSettingsChanged((settings) => void syncKeyRules(settings));

acceptPanels(async (tabId) => logOf(await readTab(tabId)));

async function answer(message: BackgroundMessage, sender: Runtime.MessageSender): Promise<TabView | RecordAnswer | ApiAnswer<unknown>> {
  // The DevTools panel names its tab; a content script's tab is the sender's.
  const tabId = message.tabId ?? sender.tab?.id;
  if (tabId === undefined) throw new Error('No tab to answer for');
  const state = await readTab(tabId);
  switch (message.type) {
    case 'tab-view':
      return viewOf(state);
    case 'record': {
      // Only ids the tab's responses carried: a page cannot make the extension fetch other URLs.
      const request = findRequest(state, message.id);
      if (request === undefined) return { ok: false, status: 404, message: `No request ${message.id} in this tab`, fromLoupe: false };
      return fetchRecord(request, message.waitMs, await loadSettings());
    }
    case 'profile': {
      // The API of the tab's own responses, and for one request's profile that request's.
      const { call } = message;
      const request = call.kind === 'request-profile' ? findRequest(state, call.id) : apiRequestOf(state);
      if (request === undefined) return { ok: false, status: 0, message: 'No Loupe response in this tab', fromLoupe: false };
      return callProfile(request, call, await loadSettings());
    }
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  return answer(message as BackgroundMessage, sender);
});
