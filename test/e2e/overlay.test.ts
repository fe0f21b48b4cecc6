import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { BROWSERS } from '../support/browsers.js';
import type { RunningServer } from '../support/http.js';
import { expectFallbackShows, showsNoContentScripts } from './support/fallback.js';
import { clickInOverlay, eventually, openSwitcher, overlayId, overlayText, textInOverlay, waitForOverlayText } from './support/overlay.js';
import { collectLoupeIds, loupeIdOf, useDemoSession } from './support/session.js';

describe.each(BROWSERS)('in %s', (name) => {
  const demo = useDemoSession(name);
  let server: RunningServer;
  let page: Page;

  beforeAll(async () => {
    server = demo().server;
    page = await demo().browser.newPage();
  });

  describe('the overlay shows the record of every kind of response', () => {
    const kinds: Array<[kind: string, path: string]> = [
      ['HTML', '/'],
      ['JSON', '/api/items'],
      ['plain text', '/text'],
      ['PNG image', '/image.png'],
      ['SVG image', '/logo.svg'],
      ['XML', '/data.xml'],
      ['gzip-encoded HTML', '/gzip'],
      ['chunked stream', '/stream'],
      ['server-sent events page', '/sse'],
      ['redirect target', '/redirect'],
      ['404', '/missing'],
      ['500', '/error'],
    ];

    it.each(kinds)('%s (%s)', async (_kind, path) => {
      const response = await page.goto(server.url + path);
      const id = loupeIdOf(response);
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      if (showsNoContentScripts(name, response)) await expectFallbackShows(demo(), page, path, id!);
      else expect(await overlayId(page)).toBe(id);
    });

    it('the redirect target keeps the redirect that led to it in the switcher', async () => {
      const ids = collectLoupeIds(page);
      await openSwitcher(page, server.url + '/redirect');
      await waitForOverlayText(page, ['redirect', '/redirect', 'doc']);
      expect(ids.get('/redirect')).toBeDefined();
    });

    it('shows the overlay while the document is still streaming', async () => {
      const responded = page.waitForResponse((response) => response.url().endsWith('/stream'));
      const navigation = page.goto(server.url + '/stream');
      const id = loupeIdOf(await responded);
      expect(await overlayId(page, 900)).toBe(id);
      await navigation;
    });
  });

  describe('a page that rewrites itself', () => {
    it('keeps the overlay when it replaces its body, its document element or the whole document', async () => {
      const id = loupeIdOf(await page.goto(server.url + '/dark'));
      await overlayId(page);
      for (const rewrite of [
        `document.body.replaceWith(document.createElement('body'))`,
        `document.documentElement.innerHTML = '<body><p>rewritten</p></body>'`,
        `document.replaceChild(document.createElement('html'), document.documentElement)`,
        `document.open(); document.write('<p>written</p>'); document.close()`,
      ]) {
        await page.evaluate(rewrite);
        expect(await overlayId(page, 2000), rewrite).toBe(id);
      }
    });
  });

  describe('the request switcher', () => {
    it("lists the page's fetch and XHR calls with their records", async () => {
      const ids = collectLoupeIds(page);
      expect(await openSwitcher(page, server.url + '/')).toBe(ids.get('/'));
      await waitForOverlayText(page, ['/api/items', '/api/items/1', 'xhr']);
      for (const path of ['/api/items', '/api/items/1']) {
        const id = ids.get(path)!;
        expect(id).toBeDefined();
        await page.waitForSelector(`#loupe-overlay >>> [data-request-id="${id}"]`);
      }
      await clickInOverlay(page, `[data-request-id="${ids.get('/api/items/1')}"]`);
      expect(await overlayId(page)).toBe(ids.get('/api/items/1'));
    });

    it('lists a page revalidated from the cache (304) once, as the page', async () => {
      await page.goto(server.url + '/dark');
      const responded = page.waitForResponse((response) => response.url().endsWith('/dark'));
      await openSwitcher(page, server.url + '/dark');
      expect((await responded).status()).toBe(304);
      await waitForOverlayText(page, ['1 request', 'doc']);
      expect(await overlayText(page)).not.toContain('redirect');
    });

    it('shows the open event stream of an SSE page and updates it when it completes', async () => {
      const ids = collectLoupeIds(page);
      await openSwitcher(page, server.url + '/sse');
      await waitForOverlayText(page, ['/events']);
      const eventsId = ids.get('/events')!;
      // The stream lasts about a second: the row goes from pending to its server time.
      await eventually(
        async () => /\d ms/.test(await textInOverlay(page, `[data-request-id="${eventsId}"] .time`)),
        () => 'the event stream to complete',
      );
    });
  });
});
