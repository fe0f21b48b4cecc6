import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from '../../demo/app.js';
import { startServer, type RunningServer } from '../support/http.js';
import { clickInOverlay, OVERLAY, overlayId, waitForOverlayText } from './support/overlay.js';
import { openExtensionBrowser, type ExtensionBrowser } from './support/session.js';

let session: ExtensionBrowser;
let demo: DemoApp;
let server: RunningServer;

beforeAll(async () => {
  demo = createDemoApp({ loupe: { mode: 'development' } });
  server = await startServer(demo.app);
  session = await openExtensionBrowser();
});

afterAll(async () => {
  await session?.browser.close();
  await server?.close();
  await demo?.loupe?.close();
});

it('renders recorded markup as text, never as elements', async () => {
  const script = '<script>window.__loupePwned = 1</script>';
  const image = '<img src=x onerror="window.__loupePwned = 2">';
  const page = await session.browser.newPage();
  await page.setExtraHTTPHeaders({ 'X-Markup': image });
  await page.goto(`${server.url}/text?q=${encodeURIComponent(script + image)}`);
  await overlayId(page);
  await clickInOverlay(page, '.handle');
  await clickInOverlay(page, '[data-panel="request"]');
  await waitForOverlayText(page, [script + image, image]);

  const elements = await page.$eval(OVERLAY, (host) => host.shadowRoot!.querySelectorAll('script, img, iframe, object').length);
  expect(elements).toBe(0);
  expect(await page.evaluate('window.__loupePwned')).toBeUndefined();
  await page.close();
});
