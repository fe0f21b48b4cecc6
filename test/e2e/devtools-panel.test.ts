import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoupeRecord } from '../../shared/record.js';
import { formatMs } from '../../extension/ui/format.js';
import { createDemoApp } from '../../demo/app.js';
import { getJson, rawRequest, startServer } from '../support/http.js';
import { BROWSERS } from '../support/browsers.js';
import { listedUrls, openPanel, profileFunctions, textOf, waitFor } from './support/devtools.js';
import { tabIdOf } from './support/extension-api.js';
import { artifactPath } from './support/artifacts.js';
import { collectLoupeIds, loupeIdOf, useDemoSession } from './support/session.js';

describe.each(BROWSERS)('in %s', (name) => {
  const demo = useDemoSession(name);
  let page: Page;
  let panel: Page;

  beforeAll(async () => {
    page = await demo().browser.newPage();
    await page.goto(demo().server.url + '/text');
    panel = await openPanel(demo(), await tabIdOf(demo(), page));
  });

  const includesAll = (wanted: string[]) => (urls: string[]) => wanted.every((url) => urls.includes(url));

  describe('the Requests view', () => {
    it('lists the requests made before the panel opened', async () => {
      await waitFor(() => listedUrls(panel), includesAll(['/text']), 'the page loaded before the panel opened');
    });

    it('fills as the page loads and fetches, newest first', async () => {
      await page.goto(demo().server.url + '/');
      const urls = await waitFor(() => listedUrls(panel), includesAll(['/', '/api/items', '/api/items/1']), 'the page and its calls');
      expect(urls.indexOf('/api/items/1')).toBeLessThan(urls.indexOf('/'));
      // A new page clears the list unless the log is preserved.
      expect(urls).not.toContain('/text');
      await panel.click('input[name="preserve"]');
      await waitFor(() => listedUrls(panel), includesAll(['/text', '/']), 'the preserved log');
      await panel.click('input[name="preserve"]');
    });

    it('shows the status the server sent for a page the browser revalidated: 304, not the cached 200', async () => {
      await page.goto(demo().server.url + '/text');
      const id = loupeIdOf(await page.goto(demo().server.url + '/text'))!;
      const { json: record } = await getJson<LoupeRecord>(`${demo().server.url}/__loupe/api/requests/${id}?wait=5000`);
      expect(record.response).toMatchObject({ status: 304, bytes: 0 });
      const row = `tr[data-request-id="${id}"]`;
      await waitFor(() => textOf(panel, `${row} .status`), (text) => text === '304', 'the server’s status');
      expect(await textOf(panel, `${row} td:last-child`)).toBe('0 B');
      await panel.select('select[name="status"]', '3xx');
      await waitFor(() => listedUrls(panel), (urls) => urls.length === 1 && urls[0] === '/text', 'the 3xx filter');
      await panel.select('select[name="status"]', '');
    });

    it('finds a revalidated page under 3xx with the filter set before the page loaded', async () => {
      await page.goto(demo().server.url + '/text');
      await panel.select('select[name="status"]', '3xx');
      // The browser calls it 200: only its record, which no shown row asks for, says 304.
      const id = loupeIdOf(await page.goto(demo().server.url + '/text'))!;
      await waitFor(() => listedUrls(panel), (urls) => urls.length === 1 && urls[0] === '/text', 'the page under 3xx');
      expect(await textOf(panel, `tr[data-request-id="${id}"] .status`)).toBe('304');
      await panel.select('select[name="status"]', '');
    });
  });

  describe('a selected request', () => {
    it('shows its timer values', async () => {
      const ids = collectLoupeIds(page);
      await page.goto(demo().server.url + '/api/items');
      const id = ids.get('/api/items')!;
      const { json: record } = await getJson<LoupeRecord>(`${demo().server.url}/__loupe/api/requests/${id}?wait=5000`);
      await panel.locator(`tr[data-request-id="${id}"]`).click();
      await panel.locator('.tabs [data-panel="timer"]').click();
      const timer = record.panels.timer!;
      const detail = await waitFor(() => textOf(panel, '.detail-body'), (text) => text.includes('Until headers'), 'the timer panel');
      expect(detail).toContain(formatMs(timer.totalMs));
      expect(detail).toContain(formatMs(timer.cpuMs));
      expect(detail).toContain(formatMs(timer.userCpuMs));
      await panel.locator('.tabs [data-panel="request"]').click();
      await waitFor(() => textOf(panel, '.detail-body'), (text) => text.includes('/api/items') && text.includes('Headers'), 'the request panel');
    });

    it('updates a still-streaming request when it completes', async () => {
      // Firefox showed the last page, JSON, in its viewer, which is no page to run a fetch in.
      await page.goto(demo().server.url + '/text');
      // Ten events 200 ms apart: the record stays pending for two seconds. The page reads the
      // id itself: over WebDriver BiDi puppeteer reports a response only once it is complete.
      await page.evaluate(
        `void fetch('/events?count=10').then((response) => (window.streamId = response.headers.get('X-Loupe-Id')) && response.text())`,
      );
      const id = await waitFor(() => page.evaluate('window.streamId'), (found) => typeof found === 'string', 'the stream to start');
      const row = `tr[data-request-id="${id}"]`;
      await waitFor(() => textOf(panel, row), (text) => text.includes('pending'), 'the pending row', 1500);
      const done = await waitFor(() => textOf(panel, row), (text) => / ms|\d s/.test(text) && !text.includes('pending'), 'the completed row');
      expect(done).toMatch(/200/);
    });

    it('filters by text, method, status and type', async () => {
      await page.goto(demo().server.url + '/');
      await waitFor(() => listedUrls(panel), includesAll(['/', '/api/items', '/api/items/1']), 'the home page and its calls');
      await panel.select('select[name="type"]', 'xhr');
      expect(await waitFor(() => listedUrls(panel), (urls) => !urls.includes('/'), 'only xhr rows')).toEqual(['/api/items/1', '/api/items']);
      await panel.type('input[name="filter"]', 'items/1');
      await waitFor(() => listedUrls(panel), (urls) => urls.length === 1 && urls[0] === '/api/items/1', 'the text filter');
      await panel.select('select[name="status"]', '4xx');
      await waitFor(() => listedUrls(panel), (urls) => urls.length === 0, 'no 4xx rows');
      await panel.select('select[name="status"]', '');
      await panel.select('select[name="type"]', '');
      await panel.select('select[name="method"]', 'GET');
      await panel.$eval('input[name="filter"]', (input) => ((input as unknown as { value: string }).value = ''));
      await panel.type('input[name="filter"]', '/');
      await waitFor(() => listedUrls(panel), includesAll(['/', '/api/items']), 'all GET rows again');
    });

    it('reads well: a screenshot of the list and one request', async () => {
      await panel.locator('.detail-bar .icon').click();
      await page.goto(demo().server.url + '/slow?ms=120');
      await page.evaluate(`fetch('/api/items'); fetch('/missing'); fetch('/cpu?n=200000')`);
      await panel.select('select[name="method"]', '');
      await panel.click('input[name="filter"]', { count: 3 });
      await panel.keyboard.press('Backspace');
      await panel.click('input[name="preserve"]');
      await waitFor(() => listedUrls(panel), includesAll(['/slow?ms=120', '/missing', '/cpu?n=200000', '/text']), 'the calls');
      await panel.screenshot({ path: artifactPath(`${name}-devtools-requests.png`) });
      await panel.click('input[name="preserve"]');
      await panel.locator('.requests-table tbody tr:last-child').click();
      await panel.locator('.tabs [data-panel="timer"]').click();
      await waitFor(() => textOf(panel, '.detail-body'), (text) => text.includes('Until headers'), 'the timer panel');
      await panel.screenshot({ path: artifactPath(`${name}-devtools-request-detail.png`) });
    });
  });

  describe('the Profile view', () => {
    const topFunction = async () => (await profileFunctions(panel))[0];

    it("shows the CPU-heavy route's hot function on top", async () => {
      await rawRequest(`${demo().server.url}/__loupe/api/profile`, { method: 'DELETE' });
      for (let run = 0; run < 2; run++) await page.goto(demo().server.url + '/cpu?n=2000000');
      await page.goto(demo().server.url + '/');
      // Enough short requests of another route for it to have samples of its own.
      await page.evaluate(`Promise.all(Array.from({ length: 40 }, (_, id) => fetch('/api/items/' + id)))`);
      await panel.click('[data-view="profile"]');
      // The seed's default: cumulative time, where the framework's outer frames come first.
      const rows = await waitFor(() => profileFunctions(panel), (names) => names.includes('countPrimes'), 'countPrimes in the table');
      expect(rows.length).toBeLessThanOrEqual(30);
      await panel.click('[data-sort="self"]');
      await waitFor(topFunction, (name) => name === 'countPrimes', 'countPrimes on top by own time');
      await panel.hover('.flame-box[data-function="countPrimes"]');
      await panel.waitForSelector('.flame-tip');
      await panel.screenshot({ path: artifactPath(`${name}-devtools-profile.png`) });
    });

    it('sorting and the route filter change the rows', async () => {
      const bySelf = await profileFunctions(panel);
      await panel.click('[data-sort="cumulative"]');
      const byTotal = await waitFor(() => profileFunctions(panel), (names) => names[0] !== 'countPrimes', 'the cumulative order');
      expect(byTotal).not.toEqual(bySelf);

      await panel.select('select[name="route"]', 'GET /api/items/:id');
      await waitFor(() => profileFunctions(panel), (names) => names.length > 0 && !names.includes('countPrimes'), 'the rows of another route');
      await panel.select('select[name="route"]', 'GET /cpu');
      await waitFor(() => profileFunctions(panel), (names) => names.includes('countPrimes'), 'the rows of GET /cpu');
      await panel.select('select[name="route"]', '');
    });

    it('zooms the flame graph on click', async () => {
      // Zooming in must leave boxes out, so wait until the graph has more than the hot one
      // (the other routes' samples arrive with the auto-refresh).
      const countBoxes = () => panel.$$eval('.flame-box', (boxes) => boxes.length);
      const before = await waitFor(countBoxes, (count) => count > 1, 'a graph of several frames', 20_000);
      await panel.click('.flame-box[data-function="countPrimes"]');
      await waitFor(countBoxes, (count) => count < before, 'the zoomed graph');
      const width = await panel.$eval('.flame-box[data-function="countPrimes"]', (box) => (box as unknown as { style: { width: string } }).style.width);
      expect(width).toBe('100%');
      await panel.click('.flame-path .crumb');
    });

    it("shows one request's profile, opened from the Requests view", async () => {
      const ids = collectLoupeIds(page);
      await page.goto(demo().server.url + '/cpu?n=1500000');
      const id = ids.get('/cpu?n=1500000')!;
      await panel.click('[data-view="requests"]');
      await panel.locator(`tr[data-request-id="${id}"]`).click();
      await panel.locator('.tabs [data-panel="profile"]').click();
      await panel.locator('[data-action="open-profile"]').click();
      await waitFor(() => profileFunctions(panel), (names) => names.includes('countPrimes'), "the request's functions");
      await panel.waitForSelector('.flame-box[data-function="countPrimes"]');
      expect(await textOf(panel, '.toolbar .subject')).toBe('GET /cpu?n=1500000');
      await panel.click('[data-action="back"]');
      await panel.waitForSelector('select[name="route"]');
    });

    it('reset empties it, after a confirmation', async () => {
      await panel.click('[data-action="reset"]');
      await panel.click('[data-action="cancel-reset"]');
      expect(await profileFunctions(panel)).toContain('countPrimes');
      await panel.click('[data-action="reset"]');
      await panel.click('[data-action="confirm-reset"]');
      await waitFor(() => textOf(panel, '.summary'), (text) => text.startsWith('No samples yet'), 'the empty profile');
      expect(await profileFunctions(panel)).toEqual([]);
    });
  });

  describe('plain errors', () => {
    it('says when the page has no Loupe, and how to enable it', async () => {
      const plain = await startServer((_req, res) => res.end('no Loupe here'));
      const other = await demo().browser.newPage();
      try {
        await other.goto(plain.url + '/');
        const otherPanel = await openPanel(demo(), await tabIdOf(demo(), other));
        const text = await waitFor(() => textOf(otherPanel, '.view'), (shown) => shown.includes('No Loupe on this page'), 'the notice');
        expect(text).toContain('app.use(loupe())');
        await otherPanel.click('[data-view="profile"]');
        await waitFor(() => textOf(otherPanel, '.view'), (shown) => shown.includes('No Loupe on this page'), 'the notice in the Profile view');
        await otherPanel.close();
      } finally {
        await other.close();
        await plain.close();
      }
    });

    it('says when the server refuses (403), and what lets the panel in', async () => {
      // Development mode records every page, but this API trusts no client address.
      const closed = createDemoApp({ loupe: { mode: 'development', allow: () => false } });
      const server = await startServer(closed.app);
      const other = await demo().browser.newPage();
      try {
        await other.goto(server.url + '/text');
        const otherPanel = await openPanel(demo(), await tabIdOf(demo(), other));
        const refused = (shown: string) => shown.includes('The server refused (403).');
        const text = await waitFor(() => textOf(otherPanel, '.problem'), refused, 'the problem in the Requests view');
        expect(text).toContain('only loopback clients unless the allow option widens it');
        expect(text).toContain('Loupe options');
        await otherPanel.screenshot({ path: artifactPath(`${name}-devtools-refused.png`) });
        await otherPanel.click('[data-view="profile"]');
        await waitFor(() => textOf(otherPanel, '.problem'), refused, 'the problem in the Profile view');
        await otherPanel.close();
      } finally {
        await other.close();
        await server.close();
        await closed.loupe?.close();
      }
    });

    it('says when the server cannot be reached', async () => {
      const gone = createDemoApp({ loupe: { mode: 'development' } });
      const server = await startServer(gone.app);
      const other = await demo().browser.newPage();
      try {
        await other.goto(server.url + '/text');
        const otherPanel = await openPanel(demo(), await tabIdOf(demo(), other));
        await server.close();
        await otherPanel.click('[data-view="profile"]');
        await waitFor(() => textOf(otherPanel, '.problem'), (shown) => shown.includes('cannot be reached'), 'the problem');
        await otherPanel.screenshot({ path: artifactPath(`${name}-devtools-unreachable.png`) });
        await otherPanel.close();
      } finally {
        await other.close();
        await gone.loupe?.close();
      }
    });
  });
});
