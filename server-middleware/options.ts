import type { IncomingMessage } from 'node:http';
import { DEFAULT_API_BASE, DEFAULT_PROFILE_PATH } from '../shared/protocol.js';
import type { ProfilerSettings } from './profiler/profiler.js';
import type { RecordStore } from './stores/store.js';
import { parseStoreSpec, type StoreSpec } from './stores/store-spec.js';
import type { Panel } from './panels/panel.js';

export type LoupeMode = 'development' | 'production';

/** The bounds every store keeps to: whichever is reached first evicts the oldest record. */
export interface StoreBounds {
  /** Most records kept. */
  maxRecords: number;
  /** Most bytes of serialised records kept. */
  maxBytes: number;
  /** Records older than this are gone. */
  maxAgeMs: number;
}

export interface LoupeOptions {
  /** Defaults to `production` when `NODE_ENV` is `production`, else `development`. */
  mode?: LoupeMode;
  /** Where the JSON API is served, relative to where the middleware is mounted. */
  apiBase?: string;
  /**
   * Production: only requests whose `X-Loupe-Key` equals one of these are recorded and may
   * read the API. Several keys allow rotation. Defaults to `LOUPE_KEY` from the environment.
   */
  keys?: string | string[];
  /** Production: a further check on keyed requests (the seed's `is_staff`). */
  authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /**
   * Development: which clients may read the API, as `proxy-addr` trust entries
   * (addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`) or a function.
   */
  allow?: string[] | ((address: string) => boolean);
  /**
   * Development: `Host` names the API answers besides `localhost`, `*.localhost` and IP
   * addresses (any port), so that a DNS-rebinding page cannot read it. A leading dot allows
   * subdomains (`.example.test`); `true` allows every host.
   */
  allowedHosts?: string[] | true;
  /** Header names to redact besides Authorization, Cookie, Set-Cookie and X-Loupe-Key. */
  redactHeaders?: string[];
  /** Query and cookie names to redact (matched case-insensitively as substrings). */
  redactNames?: string[];
  /**
   * Where records go: a `RecordStore`, `{ file: dir }` (survives restarts) or
   * `{ redis: url | client, prefix? }` (shared by a fleet, with its accumulated profile and
   * sampling counter). Defaults to `LOUPE_STORE` (`memory`, `file:<dir>`, `redis://…`), else memory.
   */
  store?: RecordStore | StoreSpec;
  /** Bounds of the store (memory, file or Redis). */
  bounds?: Partial<StoreBounds>;
  /** Caps of what one record keeps; whatever is cut says so. */
  limits?: Partial<RecordLimits>;
  /**
   * Record request bodies (up to `limits.maxBodyBytes`, secret fields redacted). Off by
   * default: bodies hold what users type.
   */
  captureBodies?: boolean;
  /**
   * Production: every `sampleEvery`-th request is profiled into the accumulated profile,
   * keyed or not (a counter, not a coin flip). 0 turns sampling off.
   */
  sampleEvery?: number;
  /** The CPU profiler's settings, or false for no profiling at all. */
  profile?: Partial<ProfilerSettings> | false;
  /** Where the accumulated statistics are printed as text, relative to the mount path. */
  profilePath?: string;
  /** A file the accumulated statistics are kept in across restarts. */
  statsFile?: string;
  /**
   * The instrumentation panels (logs, outbound HTTP, queries, templates, timeline, errors):
   * their limits and what they keep, or false to run none of them.
   */
  instrumentation?: Partial<InstrumentationSettings> | false;
  /** Panels to run besides the built-in ones (timer, request, response, versions). */
  panels?: Panel[];
  /** Called when Loupe skips work because something failed; never throws into the app. */
  onError?: (error: unknown, where: string) => void;
}

export const DEFAULT_BOUNDS: StoreBounds = {
  maxRecords: 1000,
  maxBytes: 64 * 1024 * 1024,
  maxAgeMs: 60 * 60 * 1000,
};

/** Per-record caps, so that one odd request cannot fill a store. */
export interface RecordLimits {
  /** Most headers kept of a request or a response; the rest are counted in a `[truncated]` entry. */
  maxHeaders: number;
  /** Longest header value kept, in characters. */
  maxHeaderLength: number;
  /** Most bytes of a request body kept when `captureBodies` is on. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: RecordLimits = {
  maxHeaders: 100,
  maxHeaderLength: 4096,
  maxBodyBytes: 16 * 1024,
};

export const DEFAULT_PROFILER: ProfilerSettings = {
  intervalMs: 1,
  segmentMs: 1000,
  retainMs: 2 * 60 * 1000,
  retainBytes: 64 * 1024 * 1024,
  maxFunctions: 5000,
  maxTreeNodes: 20_000,
  maxRoutes: 200,
};

/**
 * Production samples 100 times a second, not 1000: V8's sampling thread wakes on every tick
 * and costs about 4 % of a core at 1 ms on the bench machine, whatever the traffic, while the
 * accumulated profile of 1 request in 20 gains little from the finer grain. A recorded
 * request's own profile is coarser too; `profile.intervalMs` sets it either way.
 */
export const PRODUCTION_PROFILER: Partial<ProfilerSettings> = { intervalMs: 10 };

export const DEFAULT_SAMPLE_EVERY = 20;

export interface InstrumentationSettings {
  /** Most entries each instrumentation panel keeps per request; the rest are only counted. */
  maxEntries: number;
  /** Longest text kept of a message, query, field or value; longer ones are cut. */
  maxTextLength: number;
  /** Queries taking at least this long are flagged slow. */
  slowQueryMs: number;
  /**
   * Record query parameters and the literals written into SQL (named parameters that look
   * secret are redacted either way); `false` keeps neither: `WHERE email = 'a@b.c'` becomes
   * `WHERE email = ?`.
   */
  queryParams: boolean;
  /** Record template context values as text, not only their names. */
  templateValues: boolean;
  /**
   * When the process-wide hooks (channel subscriptions, console) are in place: `always`, or
   * only `while-recording` a request. Express 5's router takes a slower, traced path for every
   * request while anyone listens, so production, which records only keyed requests, listens
   * only then; a keyed request's layers before Loupe's own are then not on its timeline.
   */
  hooks: 'always' | 'while-recording';
  /**
   * With `while-recording`, how long the hooks stay after the last recorded request ends (in
   * production the request context's async hooks too, whatever `hooks` says).
   * Subscribing to a diagnostics channel, or leaving it, swaps the channel's prototype, which
   * throws away optimised code that checks it (Node's http, Express's router): hooks that came
   * and went with every keyed request took a third of a short route's throughput.
   */
  hooksLingerMs: number;
}

export const DEFAULT_INSTRUMENTATION: InstrumentationSettings = {
  maxEntries: 200,
  maxTextLength: 2000,
  slowQueryMs: 100,
  queryParams: true,
  templateValues: false,
  hooks: 'always',
  hooksLingerMs: 10_000,
};

/** What production changes: see `InstrumentationSettings.hooks`. */
export const PRODUCTION_INSTRUMENTATION: Partial<InstrumentationSettings> = { hooks: 'while-recording' };

/** Header names whose values never reach a store. */
export const ALWAYS_REDACTED_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-loupe-key',
];

/** Query, cookie and field names whose values are secrets, wherever they appear in a name. */
export const DEFAULT_REDACTED_NAMES = [
  'password',
  'passwd',
  'secret',
  'token',
  'credential',
  'signature',
  'session',
  'csrf',
  'xsrf',
  'jwt',
  'apikey',
  'private',
];

/**
 * Short secret words matched only as a whole word of a name (`api_key`, `apiKey`, `sid`),
 * so that `monkey` or `author` stay readable.
 */
export const REDACTED_NAME_WORDS = ['key', 'sid', 'pwd', 'pass', 'auth', 'sig'];

export const REDACTED = '[redacted]';

export interface ResolvedOptions {
  mode: LoupeMode;
  apiBase: string;
  keys: string[];
  authorize: ((req: IncomingMessage) => boolean | Promise<boolean>) | null;
  allow: string[] | ((address: string) => boolean);
  allowedHosts: string[] | true;
  redactHeaders: Set<string>;
  redactNames: string[];
  bounds: StoreBounds;
  limits: RecordLimits;
  captureBodies: boolean;
  store: RecordStore | StoreSpec | null;
  sampleEvery: number;
  profile: ProfilerSettings | null;
  profilePath: string;
  statsFile: string | null;
  instrumentation: InstrumentationSettings | null;
  panels: Panel[];
  onError: (error: unknown, where: string) => void;
}

function defaultOnError(error: unknown, where: string): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`Loupe skipped ${where}: ${message}`, 'LoupeWarning');
}

function normaliseBase(base: string): string {
  const withSlash = base.startsWith('/') ? base : `/${base}`;
  return withSlash.length > 1 && withSlash.endsWith('/') ? withSlash.slice(0, -1) : withSlash;
}

export function resolveOptions(
  options: LoupeOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  const mode = options.mode ?? (env.NODE_ENV === 'production' ? 'production' : 'development');
  const keySource = options.keys ?? env.LOUPE_KEY ?? [];
  const keys = (Array.isArray(keySource) ? keySource : [keySource]).filter((k) => k.length > 0);
  const onError = options.onError ?? defaultOnError;
  let store = options.store ?? null;
  try {
    store ??= parseStoreSpec(env.LOUPE_STORE ?? '');
  } catch (error) {
    onError(error, 'LOUPE_STORE (records stay in memory)');
  }
  return {
    mode,
    apiBase: normaliseBase(options.apiBase ?? DEFAULT_API_BASE),
    keys,
    authorize: options.authorize ?? null,
    allow: options.allow ?? ['loopback'],
    allowedHosts: options.allowedHosts === true ? true : (options.allowedHosts ?? []).map((h) => h.toLowerCase()),
    redactHeaders: new Set([
      ...ALWAYS_REDACTED_HEADERS,
      ...(options.redactHeaders ?? []).map((h) => h.toLowerCase()),
    ]),
    redactNames: [...DEFAULT_REDACTED_NAMES, ...(options.redactNames ?? []).map((n) => n.toLowerCase())],
    bounds: { ...DEFAULT_BOUNDS, ...options.bounds },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    captureBodies: options.captureBodies ?? false,
    store,
    sampleEvery: Math.max(0, Math.floor(options.sampleEvery ?? DEFAULT_SAMPLE_EVERY)),
    profile:
      options.profile === false
        ? null
        : { ...DEFAULT_PROFILER, ...(mode === 'production' ? PRODUCTION_PROFILER : {}), ...options.profile },
    profilePath: options.profilePath ?? DEFAULT_PROFILE_PATH,
    statsFile: options.statsFile ?? null,
    instrumentation:
      options.instrumentation === false
        ? null
        : {
            ...DEFAULT_INSTRUMENTATION,
            ...(mode === 'production' ? PRODUCTION_INSTRUMENTATION : {}),
            ...options.instrumentation,
          },
    panels: options.panels ?? [],
    onError,
  };
}
