import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoupeRecord } from '../../shared/record.js';
import { formatMs } from '../../extension/ui/format.js';
import { getJson } from '../support/http.js';
import { listedUrls, openPanel, profileFunctions, tabIdOf, textOf, waitFor } from './support/devtools.js';
import { collectLoupeIds, useDemoSession } from './support/session.js';

/** Screenshots for a person to look at; git ignores the folder. */
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/', import.meta.url));

const demo = useDemoSession();
let page: Page;
let panel: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { browser, extension, server } = demo();
  page = await browser.newPage();
  await page.goto(server.url + '/text');
  panel = await openPanel(browser, extension, await tabIdOf(browser, extension, page));
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
});
