/**
 * `npm run bench:overlay`: in headless Chromium with dist/extension installed, how long after
 * the main document's response the overlay is visible, over 20 loads of the demo's home page
 * (Loupe in development mode), and the gzip size of the content script.
 *
 * The clock is the page's own (`performance.now()`), so the start and the end need no
 * translation between processes: the start is the navigation timing entry's `responseEnd`
 * (the last byte of the document; `responseStart`, its first byte, is reported as well), the
 * end is when a MutationObserver installed before any page script sees the `#loupe-overlay`
 * host in the document with `data-loupe-id` set and an element of non-zero size rendered in
 * its shadow root. "Visible" is the first animation frame after that: the frame that paints it.
 *
 *   npm run bench:overlay                     20 loads
 *   OVERLAY_LOADS=5 npm run bench:overlay     fewer
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'puppeteer-core';
import { launchChromiumWithExtension } from '../support/browsers.js';
import { startDemo } from '../support/demo.js';
import { EXTENSION_DIR, ensureExtensionBuilt } from '../e2e/support/extension.js';
import { fixed, machineLine, quantile, writeArtifact } from './report.js';

const LOADS = Number(process.env.OVERLAY_LOADS ?? 20);
/** Loads before the measured ones: the service worker and the page's caches warm up. */
const WARM_UP_LOADS = 2;
const TARGET_MS = 100;
const TARGET_GZIP_BYTES = 30 * 1024;

/**
 * Runs in the page before its own scripts. A string, not a function: the bench runs through
 * tsx, whose helpers would be missing in the page.
 */
const WATCH_OVERLAY = `(() => {
  const times = (window.__loupeOverlayTimes = {});
  const rendered = (host) => host.getAttribute('data-loupe-id') && host.shadowRoot &&
    [...host.shadowRoot.querySelectorAll('*')].some((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
  const watched = new WeakSet();
  const check = () => {
    if (times.shown !== undefined) return;
    const host = document.getElementById('loupe-overlay');
    if (host === null) return;
    if (host.shadowRoot && !watched.has(host.shadowRoot)) {
      watched.add(host.shadowRoot);
      observer.observe(host.shadowRoot, { childList: true, subtree: true, attributes: true, characterData: true });
    }
    if (!rendered(host)) return;
    times.shown = performance.now();
    requestAnimationFrame(() => { times.visible = performance.now(); });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-loupe-id'] });
})()`;

interface Load {
  responseStart: number;
  responseEnd: number;
  shown: number;
  visible: number;
}

async function measureLoad(page: Page, url: string): Promise<Load> {
  await page.goto(url);
  await page.waitForFunction('window.__loupeOverlayTimes?.visible !== undefined', { timeout: 10_000 });
  return (await page.evaluate(`(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    return { responseStart: navigation.responseStart, responseEnd: navigation.responseEnd, ...window.__loupeOverlayTimes };
  })()`)) as Load;
}

function contentScriptGzipBytes(): { files: string[]; bytes: number; gzipBytes: number } {
  const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { content_scripts: Array<{ js: string[] }> };
  const files = manifest.content_scripts.flatMap((entry) => entry.js);
  const sources = files.map((file) => readFileSync(join(EXTENSION_DIR, file)));
  return {
    files,
    bytes: sources.reduce((sum, source) => sum + source.length, 0),
    gzipBytes: sources.reduce((sum, source) => sum + gzipSync(source, { level: 9 }).length, 0),
  };
}

async function main() {
  ensureExtensionBuilt();
  const header = `Loupe overlay bench: ${LOADS} loads of the demo's home page, headless Chromium; ${machineLine()}`;
  console.log(header);
  const demo = await startDemo({ loupe: { mode: 'development' } });
  const { browser } = await launchChromiumWithExtension(EXTENSION_DIR);
  try {
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(WATCH_OVERLAY);
    const loads: Load[] = [];
    for (let i = 0; i < WARM_UP_LOADS + LOADS; i++) {
      const load = await measureLoad(page, `${demo.url}/?load=${i}`);
      if (i >= WARM_UP_LOADS) loads.push(load);
    }
    const row = (label: string, values: number[]) =>
      `  ${label.padEnd(36)}${fixed(quantile(values, 0.5), 1, 8)}${fixed(quantile(values, 0.95), 1, 8)}${fixed(Math.max(...values), 1, 8)}`;
    const visibleAfterEnd = loads.map((load) => load.visible - load.responseEnd);
    const script = contentScriptGzipBytes();
    const printed = [
      '  ms after the document                 median     p95     max',
      row('visible (frame) after responseEnd', visibleAfterEnd),
      row('in the DOM after responseEnd', loads.map((load) => load.shown - load.responseEnd)),
      row('visible (frame) after responseStart', loads.map((load) => load.visible - load.responseStart)),
      '',
      `  overlay visible: median ${quantile(visibleAfterEnd, 0.5).toFixed(1)} ms, p95 ${quantile(visibleAfterEnd, 0.95).toFixed(1)} ms (target ≤ ${TARGET_MS} ms)`,
      `  content script (${script.files.join(', ')}): ${(script.bytes / 1024).toFixed(1)} KB, gzip ${(script.gzipBytes / 1024).toFixed(1)} KB (target ≤ ${TARGET_GZIP_BYTES / 1024} KB)`,
    ].join('\n');
    console.log(`\n${printed}`);
    const file = await writeArtifact('overlay', { header, loads, warmUpLoads: WARM_UP_LOADS, contentScript: script, table: printed });
    console.log(`\nraw results: ${file}`);
  } finally {
    await browser.close();
    await demo.close();
  }
}

await main();
