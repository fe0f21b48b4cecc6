import browser from 'webextension-polyfill';
import { formatBadgeMs, formatMs } from '../ui/format.js';
import { isOn, type TabState } from './tab-requests.js';

const ON_COLOUR = '#2563eb';
const OFF_COLOUR = '#6b7280';

/**
 * The action's badge tells whether Loupe is on in the tab and, once known, the page's server
 * time. Tabs nobody switched off and that show no recorded page keep a blank badge: most of
 * the web is not a Loupe app.
 */
export async function showBadge(tabId: number, state: TabState, serverMs: number | null = null): Promise<void> {
  const on = isOn(state);
  const text = on ? (serverMs === null ? 'on' : formatBadgeMs(serverMs)) : state.toggle === 'off' ? 'off' : '';
  const title = !on
    ? 'Loupe is off in this tab: click to switch it on'
    : `Loupe is on in this tab${serverMs === null ? '' : ` (server time ${formatMs(serverMs)})`}: click to switch it off`;
  try {
    await Promise.all([
      browser.action.setBadgeText({ tabId, text }),
      browser.action.setBadgeBackgroundColor({ tabId, color: on ? ON_COLOUR : OFF_COLOUR }),
      browser.action.setTitle({ tabId, title }),
    ]);
  } catch {
    // The tab was closed meanwhile.
  }
}
