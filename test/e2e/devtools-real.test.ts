import type { CDPSession, Page } from 'puppeteer-core';
import { beforeAll, expect, it } from 'vitest';
import { waitFor } from './support/devtools.js';
import { artifactPath } from './support/artifacts.js';
import { collectLoupeIds, useDemoSession } from './support/session.js';

// DevTools' own window is reached over the Chrome DevTools Protocol, which Firefox does not speak;
// the panel page itself is tested in both browsers (devtools-panel.test.ts).
const demo = useDemoSession('chromium');
let page: Page;

beforeAll(async () => {
  page = await demo().browser.newPage();
});

/**
 * Runs `call` on DevTools' own inspector view (its tab strip), through the module that
 * defines it: DevTools' globals appear only once its start-up is done.
 */
function onInspectorView<T>(devtools: Page, call: string): Promise<T> {
  return devtools.evaluate(
    `import('./ui/legacy/legacy.js').then((UI) => UI.InspectorView.InspectorView.instance().${call})`,
  ) as Promise<T>;
}

/** The text of the panel's document, read through the DevTools protocol. */
async function panelText(session: CDPSession): Promise<string> {
  const { result } = await session.send('Runtime.evaluate', { expression: 'document.body.innerText', returnByValue: true });
  return String(result.value ?? '');
}

it('DevTools show a Loupe panel that lists the inspected page and its calls', async () => {
  const { browser, origin, server } = demo();
  const ids = collectLoupeIds(page);
  await page.goto(server.url + '/');
  const devtools = await page.openDevTools();

  // The panel is registered by the extension's DevTools page; DevTools loads it when shown.
  const panelTab = `${origin}Loupe`;
  await waitFor(
    () => onInspectorView<string[]>(devtools, 'tabbedPane.tabIds()').catch((): string[] => []),
    (tabs) => tabs.includes(panelTab),
    'the Loupe tab in DevTools',
  );
  await onInspectorView(devtools, `showPanel(${JSON.stringify(panelTab)})`);
  const target = await browser.waitForTarget((candidate) => candidate.url() === `${origin}/panel.html`);
  const session = await target.createCDPSession();
  try {
    const text = await waitFor(() => panelText(session), (shown) => shown.includes('/api/items/1'), 'the requests in the panel');
    expect(text).toContain('Requests');
    expect(text).toContain('/api/items');
    // It follows the inspected tab: the rows are that page's requests, with their record ids.
    const rowIds = (await session.send('Runtime.evaluate', {
      expression: `[...document.querySelectorAll('tr[data-request-id]')].map((row) => row.dataset.requestId)`,
      returnByValue: true,
    })).result.value as string[];
    expect(rowIds).toEqual(expect.arrayContaining([ids.get('/'), ids.get('/api/items'), ids.get('/api/items/1')]));
    await devtools.screenshot({ path: artifactPath('devtools-real.png') });
  } finally {
    await session.detach();
    await devtools.close();
  }
});
