import type { Page } from 'puppeteer-core';

export const OVERLAY = '#loupe-overlay';

/** Waits for the overlay and returns the id of the record it shows. */
export async function overlayId(page: Page, timeout = 10_000): Promise<string | null> {
  const host = await page.waitForSelector(`${OVERLAY}[data-loupe-id]`, { timeout });
  return host!.evaluate((element) => element.getAttribute('data-loupe-id'));
}

export async function hasOverlay(page: Page): Promise<boolean> {
  return (await page.$(OVERLAY)) !== null;
}

/**
 * Clicks an element inside the overlay's shadow root. The tab comes to the front first:
 * background tabs get no animation frames, which clicks wait for.
 */
export async function clickInOverlay(page: Page, selector: string): Promise<void> {
  await page.bringToFront();
  await page.locator(`${OVERLAY} >>> ${selector}`).click();
}

/** Opens `url`, expands the overlay and opens its request switcher; returns the page's record id. */
export async function openSwitcher(page: Page, url: string): Promise<string | null> {
  await page.goto(url);
  const id = await overlayId(page);
  await clickInOverlay(page, '.handle');
  await clickInOverlay(page, '.current');
  return id;
}

/** The overlay's visible text, for asserting what it says. */
export async function overlayText(page: Page): Promise<string> {
  return page.$eval(OVERLAY, (host) => host.shadowRoot?.textContent ?? '');
}

/** The text of one element inside the overlay, '' when there is none. */
export async function textInOverlay(page: Page, selector: string): Promise<string> {
  const element = await page.$(`${OVERLAY} >>> ${selector}`);
  return element === null ? '' : ((await element.evaluate((node) => node.textContent)) ?? '');
}

/** Polls `check` until it holds: the overlay updates as records arrive. */
export async function eventually(check: () => Promise<boolean>, what: () => string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the overlay's text contains every one of `fragments`. */
export async function waitForOverlayText(page: Page, fragments: string[], timeout = 10_000): Promise<void> {
  let text = '';
  await eventually(
    async () => {
      text = await overlayText(page).catch(() => '');
      return fragments.every((fragment) => text.includes(fragment));
    },
    () => `the overlay to show ${fragments.join(', ')} (it shows: ${text})`,
    timeout,
  );
}
