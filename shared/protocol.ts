/**
 * The wire contract between the server middleware and the browser extension.
 * Both sides import this module; it imports nothing, so it stays usable in a
 * service worker, a content script and Node alike.
 */

/** Bumped whenever the record shape or the API changes incompatibly. */
export const PROTOCOL_VERSION = 1;

export const HEADERS = {
  /** The recorded request's id, set before the app's handler runs. */
  id: 'X-Loupe-Id',
  /** Where the JSON API lives, so the extension needs no configuration. */
  api: 'X-Loupe-Api',
  /** The operator's key: production records only requests that carry it. */
  key: 'X-Loupe-Key',
  serverTiming: 'Server-Timing',
} as const;

export const DEFAULT_API_BASE = '/__loupe/api';
export const DEFAULT_PROFILE_PATH = '/profile/';

/** Paths below the API base. */
export const API_ROUTES = {
  requests: '/requests',
  request: (id: string) => `/requests/${id}`,
  requestProfile: (id: string) => `/requests/${id}/profile`,
  profile: '/profile',
  profileCpuprofile: '/profile.cpuprofile',
} as const;

/** 128 random bits in base64url: exactly 22 characters of this alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Query parameter limits of the API, shared so that both sides agree. */
export const API_LIMITS = {
  listDefault: 50,
  listMax: 1000,
  waitMaxMs: 30_000,
  /** Rows of the accumulated profile: the seed's top 30 unless asked for more. */
  profileRowsDefault: 30,
  profileRowsMax: 5000,
} as const;

/** The body of every error answer of the API. */
export interface ApiError {
  error: {
    /** Stable machine-readable code, e.g. `invalid_id`, `not_found`. */
    code: string;
    message: string;
  };
}
