import { API_LIMITS, API_ROUTES, HEADERS } from '../../shared/protocol.js';
import type { LoupeRecord } from '../../shared/record.js';
import type { RecordAnswer, TrackedRequest } from '../messages.js';
import { normaliseOrigin, originSettings, type Settings } from '../settings.js';

/** The API base for a request: the options page's override for its origin, else `X-Loupe-Api`. */
export function apiBaseOf(request: TrackedRequest, settings: Settings): string {
  const override = originSettings(settings, request.url)?.apiBase;
  const base = override ? new URL(override, normaliseOrigin(request.url) ?? request.url).href : request.api;
  return base.replace(/\/+$/, '');
}

/**
 * Fetches a record from the background, where the page's CORS and CSP do not apply. The key
 * goes only to the origin it was configured for, whatever API base the response named.
 */
export async function fetchRecord(request: TrackedRequest, waitMs: number, settings: Settings): Promise<RecordAnswer> {
  const url = new URL(apiBaseOf(request, settings) + API_ROUTES.request(request.id));
  const wait = Math.min(Math.max(0, Math.round(waitMs)), API_LIMITS.waitMaxMs);
  if (wait > 0) url.searchParams.set('wait', String(wait));
  const key = originSettings(settings, url.href)?.key;
  try {
    const response = await fetch(url, {
      headers: key ? { [HEADERS.key]: key } : {},
      cache: 'no-store',
      // An `authorize` hook may look at the operator's session cookie.
      credentials: 'include',
    });
    if (!response.ok) return { ok: false, status: response.status, message: await errorMessage(response) };
    return { ok: true, record: (await response.json()) as LoupeRecord };
  } catch (error) {
    return { ok: false, status: 0, message: error instanceof Error ? error.message : String(error) };
  }
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? response.statusText;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}
