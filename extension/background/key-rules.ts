import browser, { type DeclarativeNetRequest } from 'webextension-polyfill';
import { HEADERS } from '../../shared/protocol.js';
import type { Settings } from '../settings.js';

/** Every type both browsers know: left out, a rule would skip main-frame documents. */
const RESOURCE_TYPES: DeclarativeNetRequest.ResourceType[] = [
  'main_frame', 'sub_frame', 'stylesheet', 'script', 'image', 'font', 'object',
  'xmlhttprequest', 'ping', 'csp_report', 'media', 'websocket', 'other',
];

/** One session rule per keyed origin, scoped to the tabs where Loupe is on. */
export function keyRules(onTabIds: readonly number[], settings: Settings): DeclarativeNetRequest.Rule[] {
  if (onTabIds.length === 0) return [];
  return Object.entries(settings.origins)
    .filter(([, origin]) => origin.key !== '')
    .map(([origin, { key }], index) => ({
      id: index + 1,
      priority: 1,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: HEADERS.key, operation: 'set', value: key }] },
      condition: { urlFilter: `|${origin}/`, tabIds: [...onTabIds], resourceTypes: RESOURCE_TYPES },
    }));
}

// Replacing the rules reads them first: two overlapping replacements would clash on ids.
let pending: Promise<void> = Promise.resolve();

export function replaceKeyRules(rules: DeclarativeNetRequest.Rule[]): Promise<void> {
  pending = pending.then(async () => {
    const existing = await browser.declarativeNetRequest.getSessionRules();
    await browser.declarativeNetRequest.updateSessionRules({
      removeRuleIds: existing.map((rule) => rule.id),
      addRules: rules,
    });
  });
  return pending;
}
