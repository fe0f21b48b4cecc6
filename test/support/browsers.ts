import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Extension } from 'puppeteer-core';
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
  try {
    const id = await browser.installExtension(extensionDir);
    // Until its service worker runs, the extension misses the responses of the first page.
    await browser.waitForTarget((target) => target.type() === 'service_worker' && target.url().startsWith(`chrome-extension://${id}/`));
    const extension = (await browser.extensions()).get(id);
    if (extension === undefined) throw new Error(`Extension ${id} was installed but is not listed`);
    return { browser, extension };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
