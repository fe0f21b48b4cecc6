import { render } from 'preact';
import browser from 'webextension-polyfill';
import { createRecordSource, RecordSourceContext } from '../ui/record-source.js';
import { askRecord } from './background.js';
import { Panel } from './Panel.js';

/**
 * Inside DevTools the panel follows the inspected tab; opened as a page of its own (as tests
 * do) it follows the tab named by `?tabId=`.
 */
function inspectedTabId(): number | null {
  const param = new URLSearchParams(location.search).get('tabId');
  if (param !== null) return Number(param);
  return browser.devtools?.inspectedWindow?.tabId ?? null;
}

/** DevTools tells its theme; a page of its own follows the system's. */
function theme(): 'light' | 'dark' {
  const devtools = browser.devtools?.panels?.themeName;
  if (devtools !== undefined) return devtools === 'dark' ? 'dark' : 'light';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const root = document.getElementById('panel')!;
const tabId = inspectedTabId();
document.documentElement.dataset.theme = theme();
if (tabId === null || !Number.isInteger(tabId)) {
  root.textContent = 'Open this page from DevTools, or with ?tabId=<the tab id>.';
} else {
  const records = createRecordSource((id, waitMs) => askRecord(tabId, id, waitMs));
  render(
    <RecordSourceContext.Provider value={records}>
      <Panel tabId={tabId} />
    </RecordSourceContext.Provider>,
    root,
  );
}
