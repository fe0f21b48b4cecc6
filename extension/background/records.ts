import { API_LIMITS, API_ROUTES, HEADERS } from '../../shared/protocol.js';
import type { LoupeRecord } from '../../shared/record.js';
import type { ApiAnswer, ApiFailure, ProfileCall, RecordAnswer, TrackedRequest } from '../messages.js';
import { normaliseOrigin, originSettings, type Settings } from '../settings.js';

/** The API base for a request: the options page's override for its origin, else `X-Loupe-Api`. */
export function apiBaseOf(request: TrackedRequest, settings: Settings): string {
  const override = originSettings(settings, request.url)?.apiBase;
  const base = override ? new URL(override, normaliseOrigin(request.url) ?? request.url).href : request.api;
  return base.replace(/\/+$/, '');
}

/**
 * Calls the API a request's response named, from the background, where the page's CORS and
 * CSP do not apply. The key goes only to the origin it was configured for, whatever API base
 * the response named.
 */
async function callApi<T>(
  request: TrackedRequest,
  path: string,
  settings: Settings,
  method: 'GET' | 'DELETE' = 'GET',
): Promise<ApiAnswer<T>> {
  const url = new URL(apiBaseOf(request, settings) + path);
  const key = originSettings(settings, url.href)?.key;
  try {
    const response = await fetch(url, {
      method,
      headers: key ? { [HEADERS.key]: key } : {},
      cache: 'no-store',
      // An `authorize` hook may look at the operator's session cookie.
      credentials: 'include',
    });
    if (!response.ok) return failure(response, url);
    return { ok: true, body: (await response.json()) as T };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, status: 0, message: `${url.origin} did not answer (${reason})`, fromLoupe: false };
  }
}

/** Loupe's errors are JSON with a code; anything else is the app's (or a proxy's) own page. */
async function failure(response: Response, url: URL): Promise<ApiFailure> {
  const status = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (typeof body.error?.code === 'string') return { ok: false, status: response.status, message: body.error.message ?? status, fromLoupe: true };
  } catch {
    // Not JSON: not Loupe.
  }
  return { ok: false, status: response.status, message: `${url.pathname} answered ${status}, not as Loupe`, fromLoupe: false };
}

export async function fetchRecord(request: TrackedRequest, waitMs: number, settings: Settings): Promise<RecordAnswer> {
  const wait = Math.min(Math.max(0, Math.round(waitMs)), API_LIMITS.waitMaxMs);
  const answer = await callApi<LoupeRecord>(request, API_ROUTES.request(request.id) + (wait > 0 ? `?wait=${wait}` : ''), settings);
  return answer.ok ? { ok: true, record: answer.body } : answer;
}

function routeQuery(route: string | null, more: Record<string, string> = {}): string {
  const params = new URLSearchParams(more);
  if (route !== null) params.set('route', route);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** One of the DevTools panel's profile calls, to the API `request` names. */
export function callProfile(request: TrackedRequest, call: ProfileCall, settings: Settings): Promise<ApiAnswer<unknown>> {
  switch (call.kind) {
    case 'stats':
      return callApi(request, API_ROUTES.profile + routeQuery(call.route, { sort: call.sort, limit: String(call.limit) }), settings);
    case 'tree':
      return callApi(request, `${API_ROUTES.profile}/tree${routeQuery(call.route)}`, settings);
    case 'cpuprofile':
      return callApi(request, API_ROUTES.profileCpuprofile + routeQuery(call.route), settings);
    case 'reset':
      return callApi(request, API_ROUTES.profile, settings, 'DELETE');
    case 'request-profile':
      return callApi(request, API_ROUTES.requestProfile(call.id), settings);
  }
}
