import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Extension, type Page } from 'puppeteer-core';
import { launchFirefoxWithExtension } from './firefox.js';
import { aptInstall, canInstallPackages, isExecutable } from './system-packages.js';

export type BrowserName = 'chromium' | 'firefox';

interface BrowserSource {
  /** Environment variable naming the executable; wins over everything else. */
  env: string;
  /** Folder under puppeteer's cache, and the executable inside each version's folder. */
  cache: { folder: string; executable: string };
  system: string[];
  debianPackage: string;
}

const SOURCES: Record<BrowserName, BrowserSource> = {
  chromium: {
    env: 'LOUPE_CHROMIUM',
    cache: { folder: 'chrome', executable: 'chrome-linux64/chrome' },
    system: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
    debianPackage: 'chromium',
  },
  firefox: {
    env: 'LOUPE_FIREFOX',
    cache: { folder: 'firefox', executable: 'firefox/firefox' },
    system: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    debianPackage: 'firefox-esr',
  },
};

/** The newest browser puppeteer downloaded, if it ever could. */
function fromPuppeteerCache({ folder, executable }: BrowserSource['cache']): string | undefined {
  const root = join(process.env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer'), folder);
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    .map((version) => join(root, version, executable))
    .find(isExecutable);
}

/**
 * The browser executable, in the developers' guide's order: the environment variable, then
 * puppeteer's cache, then the system; when none is there and apt-get may run, the Debian
 * package gets installed (CI starts from a fresh machine that cannot download browsers).
 */
export function resolveBrowser(name: BrowserName): string {
  const source = SOURCES[name];
  const fromEnv = process.env[source.env];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${source.env}=${fromEnv} is not an executable`);
    return fromEnv;
  }
  const found = fromPuppeteerCache(source.cache) ?? source.system.find(isExecutable);
  if (found !== undefined) return found;
  if (canInstallPackages()) {
    aptInstall(source.debianPackage);
    const installed = source.system.find(isExecutable);
    if (installed !== undefined) return installed;
  }
  throw new Error(
    `No ${name} found. Install it (as root: apt-get install ${source.debianPackage}) or set ${source.env} to its executable.`,
  );
}

/** This machine's closed network makes Chromium's background services hang or retry. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumWithExtension {
  browser: Browser;
  extension: Extension;
}

/** Headless Chromium with the unpacked extension in `extensionDir` installed. */
export async function launchChromiumWithExtension(extensionDir: string): Promise<ChromiumWithExtension> {
  const browser = await puppeteer.launch({
    executablePath: resolveBrowser('chromium'),
    headless: true,
    enableExtensions: true,
    pipe: true,
    args: CHROMIUM_ARGS,
  });
  return closingOnFailure(browser, async () => {
    const id = await browser.installExtension(extensionDir);
    await waitForResponseListener(browser, id);
    const extension = (await browser.extensions()).get(id);
    if (extension === undefined) throw new Error(`Extension ${id} was installed but is not listed`);
    return { browser, extension };
  });
}

/**
 * Until its service worker has run its script, the extension misses the responses of the
 * first page. The worker's target shows up before that: on a busy machine the first page
 * of a suite loaded in between, and never got its overlay.
 */
async function waitForResponseListener(browser: Browser, extensionId: string): Promise<void> {
  const target = await browser.waitForTarget(
    (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith(`chrome-extension://${extensionId}/`),
  );
  const worker = await target.worker();
  if (worker === null) throw new Error(`The service worker of extension ${extensionId} has no worker to evaluate in`);
  await worker.evaluate(async () => {
    const { webRequest } = (globalThis as unknown as { chrome: { webRequest: { onHeadersReceived: { hasListeners(): boolean } } } }).chrome;
    while (!webRequest.onHeadersReceived.hasListeners()) await new Promise((resolve) => setTimeout(resolve, 10));
  });
}

/** Runs `setUp` on a fresh browser; a failure closes the browser instead of leaking it. */
export async function closingOnFailure<T>(browser: Browser, setUp: () => Promise<T>): Promise<T> {
  try {
    return await setUp();
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** A browser with the extension installed, driven the same way whichever browser it is. */
export interface ExtensionBrowser {
  name: BrowserName;
  browser: Browser;
  /** The extension's own pages' origin: `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  origin: string;
  /** Opens one of the extension's pages (e.g. `options.html`) in a new tab, once `ready` is there. */
  openExtensionPage(path: string, ready: string): Promise<Page>;
  /** Clicks the extension's toolbar button with `page`'s tab in front, as a user does. */
  clickAction(page: Page): Promise<void>;
}

/** How one browser does the two things the tests need beyond puppeteer's common API. */
export interface ExtensionDriver extends Pick<ExtensionBrowser, 'name' | 'browser' | 'origin'> {
  /** Loads `url` in `page`, not waiting for it to load. */
  navigate(page: Page, url: string): Promise<unknown>;
  /** Clicks the action on the tab in front. */
  triggerAction(page: Page): Promise<void>;
}

export function extensionBrowser({ name, browser, origin, navigate, triggerAction }: ExtensionDriver): ExtensionBrowser {
  return {
    name,
    browser,
    origin,
    async openExtensionPage(path, ready) {
      const page = await browser.newPage();
      await navigate(page, `${origin}/${path}`);
      await page.waitForSelector(ready);
      return page;
    },
    async clickAction(page) {
      await page.bringToFront();
      await triggerAction(page);
    },
  };
}

async function chromiumExtensionBrowser(extensionDir: string): Promise<ExtensionBrowser> {
  const { browser, extension } = await launchChromiumWithExtension(extensionDir);
  return extensionBrowser({
    name: 'chromium',
    browser,
    origin: `chrome-extension://${extension.id}`,
    navigate: (page, url) => page.goto(url),
    triggerAction: (page) => page.triggerExtensionAction(extension),
  });
}

/** Every browser the extension ships for: the e2e suite runs in each. */
export const BROWSERS: readonly BrowserName[] = ['chromium', 'firefox'];

/** Headless `name` with the unpacked extension in `extensionDir` installed and running. */
export function launchWithExtension(name: BrowserName, extensionDir: string): Promise<ExtensionBrowser> {
  return name === 'chromium' ? chromiumExtensionBrowser(extensionDir) : launchFirefoxWithExtension(extensionDir);
}
