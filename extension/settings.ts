import browser from 'webextension-polyfill';

export type OverlayPosition = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

export const OVERLAY_POSITIONS: readonly OverlayPosition[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];

/** What the options page sets for one origin, e.g. `https://shop.example.com`. */
export interface OriginSettings {
  /** Sent as `X-Loupe-Key` by the tabs where Loupe is on, and with the extension's API calls. */
  key: string;
  /** Where that origin's API lives when `X-Loupe-Api` should not be trusted or is absent. */
  apiBase: string;
}

export interface Settings {
  /** Keyed by origin (`scheme://host[:port]`), without a trailing slash. */
  origins: Record<string, OriginSettings>;
  position: OverlayPosition;
  startCollapsed: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  origins: {},
  position: 'bottom-right',
  startCollapsed: true,
};

/** The storage.local key holding the whole settings object. */
export const SETTINGS_KEY = 'settings';

function withDefaults(stored: Partial<Settings> | undefined): Settings {
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return withDefaults(stored[SETTINGS_KEY] as Partial<Settings> | undefined);
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
}

/** Calls `listener` with the new settings whenever any part of the extension saves them. */
export function onSettingsChanged(listener: (settings: Settings) => void): void {
  browser.storage.local.onChanged.addListener((changes) => {
    const change = changes[SETTINGS_KEY];
    if (change !== undefined) listener(withDefaults(change.newValue as Partial<Settings> | undefined));
  });
}

/** Origins are compared in their URL-normalised form: lower-case host, default port dropped. */
export function normaliseOrigin(text: string): string | null {
  try {
    const url = new URL(text.includes('://') ? text : `http://${text}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

export function originSettings(settings: Settings, url: string): OriginSettings | undefined {
  const origin = normaliseOrigin(url);
  return origin === null ? undefined : settings.origins[origin];
}
