import type { Page } from 'puppeteer-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickInOverlay, eventually, OVERLAY, overlayId, waitForOverlayText } from './support/overlay.js';
import { collectLoupeIds, loupeIdOf, useDemoSession } from './support/session.js';

/** Hostile pages are a Chromium matter here: Firefox runs the same content script. */
const demo = useDemoSession('chromium');
let page: Page;

beforeEach(async () => {
  page = await demo().browser.newPage();
});
afterEach(async () => {
  await page.close();
});

/** Opens the toolbar with real mouse clicks and checks it shows the request panel of `path`. */
async function expectToolbarWorks(path: string): Promise<void> {
  await clickInOverlay(page, '.handle');
  await clickInOverlay(page, '[data-panel="request"]');
  await waitForOverlayText(page, [path]);
}

/** The page's own counter still counts real clicks. */
async function expectCounterWorks(): Promise<void> {
  await page.locator('#count').click();
  await eventually(async () => (await page.$eval('#clicks', (out) => out.textContent)) === '1', () => 'the page’s counter to count');
}

/** Whether the overlay's visible box is really what the user sees at its centre. */
function overlayIsOnTop(): Promise<boolean> {
  return page.$eval(OVERLAY, (host) => {
    const target = host.shadowRoot!.querySelector('.handle, .card');
    if (target === null) return false;
    const box = target.getBoundingClientRect();
    const topmost = host.ownerDocument.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return topmost === host;
  });
}

describe('the overlay on hostile pages', () => {
  it('survives `* { all: unset !important }`, and the page works', async () => {
    const id = loupeIdOf(await page.goto(`${demo().server.url}/hostile/unset`));
    expect(await overlayId(page)).toBe(id);
    expect(await overlayIsOnTop()).toBe(true);
    await expectToolbarWorks('/hostile/unset');
    await expectCounterWorks();
  });

  it('stays above elements stacked at the highest z-index, added after it', async () => {
    const id = loupeIdOf(await page.goto(`${demo().server.url}/hostile/z-index`));
    expect(await overlayId(page)).toBe(id);
    await page.waitForSelector('#cover');
    expect(await overlayIsOnTop()).toBe(true);
    await expectToolbarWorks('/hostile/z-index');
    await expectCounterWorks();
  });

  it("works under a strict CSP (default-src 'none'), and the page renders", async () => {
    const response = await page.goto(`${demo().server.url}/hostile/csp`);
    expect(response!.headers()['content-security-policy']).toBe("default-src 'none'");
    expect(await overlayId(page)).toBe(loupeIdOf(response));
    await expectToolbarWorks('/hostile/csp');
    // The toolbar's styles applied despite the CSP: its card is laid out, not a bare list.
    const card = await page.$eval(OVERLAY, (host) => host.ownerDocument.defaultView!.getComputedStyle(host.shadowRoot!.querySelector('.card')!).position);
    expect(card).not.toBe('static');
    expect(await page.$eval('#content', (p) => p.textContent)).toBe('Nothing but this text may load.');
  });

  it('comes back after document.open() rewrites the page, still showing its request', async () => {
    const id = loupeIdOf(await page.goto(`${demo().server.url}/hostile/rewrite`));
    await page.waitForFunction(`document.title === 'Rewritten'`);
    expect(await overlayId(page)).toBe(id);
    await expectToolbarWorks('/hostile/rewrite');
    await expectCounterWorks();
  });

  it('keeps the document’s request through single-page-app navigation, with the fetches in the switcher', async () => {
    const ids = collectLoupeIds(page);
    const id = loupeIdOf(await page.goto(`${demo().server.url}/hostile/spa`));
    expect(await overlayId(page)).toBe(id);
    await page.locator('a[data-item="2"]').click();
    await page.waitForFunction(`document.getElementById('title').textContent === 'Item 2'`);
    expect(page.url()).toBe(`${demo().server.url}/hostile/spa/2`);
    await eventually(async () => ids.has('/api/items/2'), () => 'the fetch of /api/items/2');
    await clickInOverlay(page, '.handle');
    await clickInOverlay(page, '.current');
    await waitForOverlayText(page, ['/api/items/2']);
    expect(await overlayId(page)).toBe(id);
    await page.goBack();
    await page.waitForFunction(`document.getElementById('title').textContent === 'Single-page app'`);
    // A fetch made after the navigation still arrives in the switcher of the same toolbar.
    await page.locator('a[data-item="1"]').click();
    await waitForOverlayText(page, ['/api/items/1']);
    expect(await overlayId(page)).toBe(id);
  });

  it('shows the top document’s request on a page with iframes, with none inside them', async () => {
    const ids = collectLoupeIds(page);
    const id = loupeIdOf(await page.goto(`${demo().server.url}/hostile/frames`));
    expect(await overlayId(page)).toBe(id);
    await eventually(async () => ids.has('/text') && ids.has('/hostile/unset'), () => 'the frames to load');
    for (const frame of page.frames().filter((candidate) => candidate !== page.mainFrame())) {
      expect(await frame.$(OVERLAY), frame.url()).toBeNull();
    }
    await clickInOverlay(page, '.handle');
    await clickInOverlay(page, '.current');
    await waitForOverlayText(page, ['/text', '/hostile/unset']);
    expect(await overlayId(page)).toBe(id);
    await clickInOverlay(page, '.current');
    await expectCounterWorks();
  });
});
