import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clickInOverlay, OVERLAY, overlayId, overlayText, waitForOverlayText } from './support/overlay.js';
import { useDemoSession } from './support/session.js';

// The demo runs in this process: a secret in its environment must reach the page redacted.
process.env.DEMO_API_TOKEN = 'hunter2-not-for-pages';

/** Screenshots for a person to look at; git ignores the folder. */
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/', import.meta.url));

const demo = useDemoSession('chromium');
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  page = await demo().browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
});

/** Where the page's own content sits: the overlay must not move it. */
async function pageLayout(): Promise<string> {
  return String(
    await page.evaluate(`JSON.stringify({
    heading: document.querySelector('h1').getBoundingClientRect(),
    scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
  })`),
  );
}

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
}

describe.each([
  ['light', '/'],
  ['dark', '/dark'],
])('the overlay on the %s page', (theme, path) => {
  it('takes no room, collapsed or expanded', async () => {
    await page.goto(demo().server.url + path);
    await overlayId(page);
    await waitForOverlayText(page, [' ms', '200']);
    const collapsed = await pageLayout();
    const hostBox = await page.$eval(OVERLAY, (host) => host.getBoundingClientRect().width + host.getBoundingClientRect().height);
    expect(hostBox).toBe(0);
    await shoot(`${theme}-collapsed`);

    await clickInOverlay(page, '.handle');
    await waitForOverlayText(page, ['Time', 'Request', 'Response', 'Versions']);
    expect(await pageLayout()).toBe(collapsed);
    await shoot(`${theme}-expanded`);

    await clickInOverlay(page, '[data-panel="timer"]');
    await waitForOverlayText(page, ['Until headers']);
    await shoot(`${theme}-timer`);

    await clickInOverlay(page, '.current');
    await waitForOverlayText(page, ['doc']);
    await shoot(`${theme}-requests`);
  });
});

it("shows the profile of a CPU-heavy request once it is cut", async () => {
  await page.goto(demo().server.url + '/cpu?n=2000000');
  await overlayId(page);
  await clickInOverlay(page, '.handle');
  await clickInOverlay(page, '[data-panel="profile"]');
  await waitForOverlayText(page, ['By cumulative time', 'countPrimes']);
  await shoot('cpu-profile');
});

it('shows versions, settings and the environment with its secrets redacted', async () => {
  await page.goto(demo().server.url + '/text');
  await overlayId(page);
  await clickInOverlay(page, '.handle');
  await clickInOverlay(page, '[data-panel="versions"]');
  await waitForOverlayText(page, ['Loupe settings', 'Environment (secrets redacted)', 'DEMO_API_TOKEN']);
  expect(await overlayText(page)).not.toContain('hunter2-not-for-pages');
  await shoot('versions');
});

it('the options page renders its form', async () => {
  const options = await demo().openExtensionPage('options.html', 'input[name="origin"]');
  await options.setViewport({ width: 1000, height: 640 });
  await options.screenshot({ path: `${ARTIFACTS}options.png` });
  await options.close();
});
