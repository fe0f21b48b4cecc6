import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { RecordSummary } from '../../shared/record.js';
import { createDemoApp } from '../../demo/app.js';
import { BROWSERS } from '../support/browsers.js';
import { getJson, startServer, type RunningServer } from '../support/http.js';
import { badges as badgesOf } from './support/extension-api.js';
import { expectFallbackShows, showsNoContentScripts } from './support/fallback.js';
import { eventually, hasOverlay, overlayId } from './support/overlay.js';
import { collectLoupeIds, loupeIdOf, useDemoSession } from './support/session.js';

describe.each(BROWSERS)('in %s', (name) => {
  const demo = useDemoSession(name);

  /** Every tab's badge text, sorted: the badge is per tab. */
  const badges = () => badgesOf(demo());

  /** Clicks the extension's action as a user does: on the tab in front. */
  const clickAction = (page: Page) => demo().clickAction(page);

  async function waitForOverlayGone(page: Page): Promise<void> {
    await eventually(async () => !(await hasOverlay(page)), () => 'the overlay to go');
  }

  describe('the action toggles Loupe per tab', () => {
    it('switches one tab off and on, leaves the other alone, and holds across navigations', async () => {
      const { server } = demo();
      const first = await demo().browser.newPage();
      const second = await demo().browser.newPage();
      await first.goto(server.url + '/text');
      await second.goto(server.url + '/text');
      await overlayId(first);
      await overlayId(second);

      await clickAction(first);
      await waitForOverlayGone(first);
      expect(await hasOverlay(second)).toBe(true);
      await eventually(async () => (await badges()).includes('off'), () => 'an "off" badge');
      expect((await badges()).filter((text) => text === 'off')).toHaveLength(1);

      // Off holds across navigations in that tab.
      await first.goto(server.url + '/api/items');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await hasOverlay(first)).toBe(false);

      await clickAction(first);
      const response = await first.reload();
      if (showsNoContentScripts(name, response)) await expectFallbackShows(demo(), first, '/api/items', loupeIdOf(response)!);
      else expect(await overlayId(first)).toBe(loupeIdOf(response));
      expect(await overlayId(second)).toBeTruthy();
      await first.close();
      await second.close();
    });
  });

  describe('a production server with a key', () => {
    const KEY = 'operator-key-0123456789';
    const production = createDemoApp({ loupe: { mode: 'production', keys: [KEY] } });
    let server: RunningServer;

    beforeAll(async () => {
      server = await startServer(production.app);
    });

    afterAll(async () => {
      await server?.close();
      await production.loupe?.close();
    });

    async function setKeyInOptions(origin: string): Promise<void> {
      const options = await demo().openExtensionPage('options.html', 'input[name="origin"]');
      await options.locator('input[name="origin"]').fill(origin);
      await options.locator('input[name="key"]').fill(KEY);
      await options.locator('button[type="submit"]').click();
      await options.waitForSelector('::-p-text(Saved.)');
      await options.close();
    }

    it("records only the requests of the tab where Loupe is switched on", async () => {
      await setKeyInOptions(server.url);

      const keyed = await demo().browser.newPage();
      const plain = await demo().browser.newPage();
      const keyedIds = collectLoupeIds(keyed);
      const plainIds = collectLoupeIds(plain);
      // The demo's pages are cacheable and the server does not yet send `Vary: X-Loupe-Key`:
      // a revalidated copy would bring the keyed tab's X-Loupe-Id into the plain tab.
      await keyed.setCacheEnabled(false);
      await plain.setCacheEnabled(false);

      // Nobody switched Loupe on yet: the server does not record, the page has no overlay.
      expect(loupeIdOf(await keyed.goto(server.url + '/'))).toBeUndefined();
      expect(await hasOverlay(keyed)).toBe(false);

      await clickAction(keyed);
      await eventually(async () => (await badges()).includes('on'), () => 'the badge to say "on"');
      const response = await keyed.reload();
      expect(await overlayId(keyed)).toBe(loupeIdOf(response));
      await eventually(async () => keyedIds.has('/api/items/1'), () => "the keyed page's XHR to be recorded");

      // In front: a background tab's scripts may be throttled past the wait below.
      await plain.bringToFront();
      await plain.goto(server.url + '/');
      await plain.waitForFunction(`document.getElementById('fetched').textContent.includes('XHR')`);
      expect(plainIds.size).toBe(0);
      expect(await hasOverlay(plain)).toBe(false);

      const { json } = await getJson<{ requests: RecordSummary[] }>(`${server.url}/__loupe/api/requests?limit=100`, {
        'X-Loupe-Key': KEY,
      });
      const recorded = new Set(json.requests.map((summary) => summary.id));
      for (const [path, id] of keyedIds) expect(recorded.has(id), path).toBe(true);
      // Both tabs loaded the page after the switch; only the keyed tab's load was recorded.
      expect(json.requests.filter((summary) => new URL(summary.url, server.url).pathname === '/')).toHaveLength(1);
      await keyed.close();
      await plain.close();
    });
  });

  describe('the options page', () => {
    async function saveToolbarOptions(position: string, startCollapsed: boolean): Promise<void> {
      const options = await demo().openExtensionPage('options.html', 'select[name="position"]');
      await options.select('select[name="position"]', position);
      const checkbox = await options.waitForSelector('input[name="startCollapsed"]');
      if ((await checkbox!.evaluate((input) => input.checked)) !== startCollapsed) await checkbox!.click();
      await options.locator('button[type="submit"]').click();
      await options.waitForSelector('::-p-text(Saved.)');
      await options.close();
    }

    it('places the toolbar and opens it expanded when told to', async () => {
      await saveToolbarOptions('top-left', false);
      const page = await demo().browser.newPage();
      await page.goto(demo().server.url + '/text');
      const card = await page.waitForSelector('#loupe-overlay >>> .card');
      const box = await card!.boundingBox();
      expect(box).toMatchObject({ x: 12, y: 12 });
      await page.close();
      await saveToolbarOptions('bottom-right', true);
    });
  });
});
