import { describe, expect, it } from 'vitest';
import { BROWSERS } from '../support/browsers.js';
import { overlayId } from './support/overlay.js';
import { loupeIdOf, useDemoSession } from './support/session.js';

/**
 * Runs in the page before anything else: notes every id the overlay's host is ever given, so
 * a briefly shown wrong id is caught, not only the last one.
 */
const NOTE_SHOWN_IDS = `(() => {
  const shown = (window.__loupeShownIds = []);
  new MutationObserver((mutations) => {
    for (const { target } of mutations) {
      if (target.id === 'loupe-overlay') shown.push(target.getAttribute('data-loupe-id'));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-loupe-id'] });
})()`;

describe.each(BROWSERS)('in %s', (name) => {
  const demo = useDemoSession(name);

  // The new document's content script may ask for its page before the background has seen
  // that page's headers; on a reload the previous page even has the same URL.
  it.each([
    ['HTML', '/'],
    ['plain text', '/text'],
  ])("a reloaded %s page shows its own record, never the previous page's", async (_kind, path) => {
    const page = await demo().browser.newPage();
    await page.evaluateOnNewDocument(NOTE_SHOWN_IDS);
    let response = await page.goto(demo().server.url + path);
    for (let load = 0; load < 8; load++) {
      const id = loupeIdOf(response);
      expect(await overlayId(page)).toBe(id);
      const shown = await page.evaluate('window.__loupeShownIds');
      expect(new Set(shown as string[]), `load ${load}`).toEqual(new Set([id]));
      response = await page.reload();
    }
    await page.close();
  });
});
