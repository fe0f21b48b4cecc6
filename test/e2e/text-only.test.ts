import { describe, expect, it } from 'vitest';
import { BROWSERS } from '../support/browsers.js';
import { clickInOverlay, OVERLAY, overlayId, waitForOverlayText } from './support/overlay.js';
import { useDemoSession } from './support/session.js';

describe.each(BROWSERS)('in %s', (name) => {
  const demo = useDemoSession(name);

  it('renders recorded markup as text, never as elements', async () => {
    const script = '<script>window.__loupePwned = 1</script>';
    const image = '<img src=x onerror="window.__loupePwned = 2">';
    const { browser, server } = demo();
    const page = await browser.newPage();
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
});
