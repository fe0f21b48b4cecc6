import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { clickInOverlay, overlayId, textInOverlay, waitForOverlayText } from './support/overlay.js';
import { loupeIdOf, useDemoSession } from './support/session.js';

const demo = useDemoSession('chromium', { mode: 'development', profile: false });
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/', import.meta.url));
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  page = await demo().browser.newPage();
  await page.setViewport({ width: 1100, height: 760 });
});

/** A picture of the open panel, for looking at the layout. */
const shoot = (panel: string) => page.screenshot({ path: `${ARTIFACTS}panel-${panel}.png` });

/** Opens `path`, expands the overlay and opens one panel; returns the record id the page got. */
async function openPanel(path: string, panel: string, listed: string[]): Promise<string | undefined> {
  const id = loupeIdOf(await page.goto(demo().server.url + path));
  expect(await overlayId(page)).toBe(id);
  await clickInOverlay(page, '.handle');
  await waitForOverlayText(page, listed);
  await clickInOverlay(page, `[data-panel="${panel}"]`);
  return id;
}

describe('the instrumentation panels in the overlay', () => {
  it('logs: console, pino and winston lines with their fields, secrets redacted', async () => {
    await openPanel('/logs', 'logs', ['Logs', '5 logged · 2 warn/error']);
    await waitForOverlayText(page, ['GET /logs from', 'pino: user signed in', 'user=42', 'password=[redacted]', 'winston: disk almost full', 'freeMb=12']);
    await shoot('logs');
  });

  it("outbound HTTP: both calls, the secret query value redacted, linked to the other side's record", async () => {
    await openPanel('/outbound', 'outbound', ['Outbound HTTP']);
    await waitForOverlayText(page, ['GET http://127.0.0.1', '/api/items', '/text?token=[redacted]']);
    const link = await page.$eval('#loupe-overlay >>> a[data-loupe-link]', (a) => a.getAttribute('href'));
    expect(link).toMatch(/\/__loupe\/api\/requests\/[A-Za-z0-9_-]{22}$/);
    await shoot('outbound');
  });

  it('queries: the N+1 flagged as a repeated shape', async () => {
    await openPanel('/db', 'queries', ['Queries', '4 · ', '1 repeated shape']);
    await waitForOverlayText(page, ['Repeated (N+1?)', '×3', 'SELECT * FROM items WHERE id = ?', 'similar ×3', 'params: 2', 'from ']);
    await shoot('queries');
  });

  it('templates: the rendered template with its engine and context keys', async () => {
    await openPanel('/template', 'templates', ['Templates', '1 · items']);
    await waitForOverlayText(page, ['items (ejs)', 'title, items']);
    await shoot('templates');
  });

  it('timeline: the handler, spans, mark and query drawn as bars on one axis', async () => {
    await openPanel('/timeline', 'timeline', ['Timeline']);
    await waitForOverlayText(page, ['GET /timeline', 'load', 'compute', 'wait', 'start', 'sqlite: SELECT count(*) AS n FROM items']);
    const bars = await page.$$eval('#loupe-overlay >>> .waterfall tr', (rows) => rows.map((row) => row.getAttribute('data-kind')));
    expect(bars).toEqual(expect.arrayContaining(['handler', 'mark', 'span', 'query']));
    await shoot('timeline');
  });

  it('errors: the thrown error with its stack trace', async () => {
    await openPanel('/error', 'errors', ['Errors', '1 error · A deliberate error from the demo']);
    await waitForOverlayText(page, ['Error: A deliberate error from the demo', 'In a handler']);
    expect(await textInOverlay(page, 'pre.stack')).toMatch(/demo[/\\]app\.(ts|js):\d+/);
    await shoot('errors');
  });
});
