import browser from 'webextension-polyfill';
import { summarize, type LoupeRecord } from '../../shared/record.js';
import { formatBadgeMs, formatMs } from '../ui/format.js';
import { isOn, type TabState } from './tab-requests.js';

const ON_COLOUR = '#2563eb';
const OFF_COLOUR = '#6b7280';

/**
 * What the page's record says in one line: where no overlay can show (Firefox's JSON and PDF
 * viewers run no content scripts), the button's tooltip is where a user finds it.
 */
function recordLine(record: LoupeRecord): string {
  const { method, url, status, durationMs, cpuMs } = summarize(record);
  const times = [durationMs !== null && `server ${formatMs(durationMs)}`, cpuMs !== null && `CPU ${formatMs(cpuMs)}`];
  return [`${method} ${url} → ${status}`, ...times.filter((time) => time !== false)].join(', ');
}

/**
 * The action's badge tells whether Loupe is on in the tab and, once the page's record is
 * complete, its server time; the title says the rest. Tabs nobody switched off and that show
 * no recorded page keep a blank badge: most of the web is not a Loupe app.
 */
export async function showBadge(tabId: number, state: TabState, record: LoupeRecord | null = null): Promise<void> {
  const on = isOn(state);
  const serverMs = record === null ? null : (record.durationMs ?? record.panels.timer?.totalMs ?? null);
  const text = on ? (serverMs === null ? 'on' : formatBadgeMs(serverMs)) : state.toggle === 'off' ? 'off' : '';
  const title = !on
    ? 'Loupe is off in this tab: click to switch it on'
    : `${record === null ? 'Loupe is on in this tab' : `Loupe: ${recordLine(record)}`}. Click to switch Loupe off in this tab; DevTools → Loupe lists every request.`;
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
