import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { closingOnFailure, extensionBrowser, resolveBrowser, type ExtensionBrowser } from './browsers.js';

/** The parts of puppeteer's WebDriver BiDi connection its public types leave out. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

const bidi = (browser: Browser) => (browser as unknown as { connection: BidiConnection }).connection;

/** The BiDi id of the browsing context a page shows. */
const contextOf = (page: Page) => (page.mainFrame() as unknown as { _id: string })._id;

/**
 * Prefs for a headless test profile: Firefox's JSON viewer on, as users have it; the
 * extension's moz-extension:// UUID fixed, so tests can open its pages (Firefox makes one up
 * per install otherwise); no first-run pages or update checks on this closed network.
 */
function testPrefs(geckoId: string, uuid: string): Record<string, unknown> {
  return {
    'devtools.jsonview.enabled': true,
    'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
    'browser.shell.checkDefaultBrowser': false,
    'app.update.enabled': false,
  };
}

function geckoIdOf(extensionDir: string): string {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (id === undefined) throw new Error('manifest.json names no browser_specific_settings.gecko.id: Firefox needs one');
  return id;
}

/**
 * The toolbar button's click, done the way Firefox's own keyboard shortcut for it does:
 * WebDriver BiDi cannot click the browser's toolbar, but with system access it may run
 * script in the browser window, where the action acts on the selected tab.
 */
async function triggerAction(browser: Browser, geckoId: string): Promise<void> {
  const { result } = await bidi(browser).send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
  const window = (result as { contexts: Array<{ context: string; url: string }> }).contexts.find((context) =>
    context.url.startsWith('chrome://browser/content/browser.'),
  );
  if (window === undefined) throw new Error('No Firefox browser window to click the action in');
  await bidi(browser).send('script.evaluate', {
    expression: `(() => {
      const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
      const extension = WebExtensionPolicy.getByID(${JSON.stringify(geckoId)}).extension;
      ExtensionParent.apiManager.global.browserActionFor(extension).triggerAction(window);
    })()`,
    target: { context: window.context },
    awaitPromise: false,
  });
}

/** Headless Firefox through WebDriver BiDi with the unpacked extension in `extensionDir` installed. */
export async function launchFirefoxWithExtension(extensionDir: string): Promise<ExtensionBrowser> {
  const geckoId = geckoIdOf(extensionDir);
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: resolveBrowser('firefox'),
    headless: true,
    // Lets the tests run script in the browser window: the only way to click the action.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: testPrefs(geckoId, uuid),
  });
  return closingOnFailure(browser, async () => {
    await browser.installExtension(extensionDir);
    return extensionBrowser({
      name: 'firefox',
      browser,
      origin: `moz-extension://${uuid}`,
      // Firefox reports no navigation events for moz-extension:// documents, so puppeteer's
      // goto() would wait for a load it never hears of.
      navigate: (page, url) => bidi(browser).send('browsingContext.navigate', { context: contextOf(page), url, wait: 'none' }),
      triggerAction: () => triggerAction(browser, geckoId),
    });
  });
}
