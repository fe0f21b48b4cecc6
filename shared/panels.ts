import type { ProfileStats } from './profile.js';

/** The stats each panel records, keyed by panel id. */

export interface TimerStats {
  /** Wall time from the request's arrival to the end of the response. */
  totalMs: number;
  /** Process CPU time spent while the request was in flight. */
  userCpuMs: number;
  systemCpuMs: number;
  cpuMs: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
  minorPageFaults: number;
  majorPageFaults: number;
  /** Time from arrival until the response headers were written. */
  headersMs: number | null;
  /** Largest event-loop delay observed while the request was in flight. */
  eventLoopDelayMaxMs: number;
  /** Share of the window the event loop was busy (0..1). */
  eventLoopUtilization: number;
  gcPauses: GcPause[];
  gcTotalMs: number;
  /**
   * CPU, context switches, page faults, event-loop and GC figures are
   * process-wide: they include every other request that overlapped this one.
   * This counts those requests so the numbers can be read honestly.
   */
  concurrentRequests: number;
}

export interface GcPause {
  /** Offset from the request's start. */
  startMs: number;
  durationMs: number;
  kind: 'minor' | 'major' | 'incremental' | 'weakcb' | 'unknown';
}

export type HeaderValues = Record<string, string | string[]>;

export interface RequestStats {
  method: string;
  /** The URL as requested, with secret query values redacted. */
  url: string;
  path: string;
  /** The matched route pattern, e.g. `/users/:id`, when the framework tells. */
  route: string | null;
  httpVersion: string;
  headers: HeaderValues;
  query: Record<string, string | string[]>;
  cookies: Record<string, string>;
  /** From Content-Length; null when the body was chunked or absent. */
  bodyBytes: number | null;
  clientIp: string | null;
  /** The body as received so far, when `captureBodies` is on and there was one. */
  body?: CapturedBody | null;
}

export interface CapturedBody {
  contentType: string | null;
  /** Every byte received, including those not kept. */
  bytes: number;
  /** Only the first `limits.maxBodyBytes` were kept. */
  truncated: boolean;
  /** The kept part as text, secret fields redacted; null for binary, multipart or encoded bodies. */
  text: string | null;
}

export interface ResponseStats {
  /** 0 while headers have not been written yet. */
  status: number;
  statusMessage: string;
  headers: HeaderValues;
  /** Body bytes handed to Node after any encoding (what goes on the wire). */
  bytes: number;
  contentType: string | null;
  /** Content-Encoding, e.g. `gzip`; null when identity. */
  encoding: string | null;
  /** Sent without a Content-Length (chunked), i.e. streamed to the client. */
  streamed: boolean;
  headersSent: boolean;
}

export interface VersionsStats {
  node: string;
  v8: string;
  loupe: string | null;
  express: string | null;
  platform: string;
  arch: string;
  pid: number;
  /** Loupe's effective settings, with secrets redacted. */
  settings: Record<string, string | number | boolean | null>;
  /** The process's environment variables, secret-looking ones and URL passwords redacted. */
  environment: Record<string, string>;
}

/** One record written through `console`, pino or winston while the request ran. */
export interface LogEntry {
  source: 'console' | 'pino' | 'winston';
  level: string;
  /** Offset from the request's start. */
  atMs: number;
  message: string;
  /** Structured fields (pino's object, winston's meta), as JSON-safe text values. */
  fields: Record<string, string> | null;
}

export interface LogsStats {
  entries: LogEntry[];
  /** Entries past the per-request cap: counted, not kept. */
  dropped: number;
}

/** One outbound `http`/`https` request or `fetch` call. */
export interface OutboundCall {
  via: 'http' | 'fetch';
  method: string;
  /** With secret query values redacted. */
  url: string;
  /** 0 when no response arrived. */
  status: number;
  startMs: number;
  /** Until the response ended (or its headers, when its body was not read); null while in flight. */
  durationMs: number | null;
  /** From the response's Content-Length, when it had one. */
  bytes: number | null;
  error: string | null;
  /** The other side's record, when it runs Loupe too. */
  loupe: { id: string; url: string } | null;
}

/** Absent when the request made no outbound calls. */
export interface OutboundStats {
  calls: OutboundCall[];
  dropped: number;
}

export interface QueryEntry {
  /** Which client ran it: `sqlite`, `postgresql`, `mysql`, `redis`, `knex`. */
  system: string;
  text: string;
  /** As text; null when parameter recording is off or there were none. */
  params: string[] | null;
  startMs: number;
  durationMs: number | null;
  /** Rows returned or changed, when the client tells. */
  rows: number | null;
  error: string | null;
  /** The app's stack frame that issued it: `file:line:column`, or the function and that. */
  caller: string | null;
  /** How many other queries of this request had the same text and parameters. */
  duplicates: number;
  /** How many other queries had the same shape (literals and parameters aside): N+1 hints. */
  similar: number;
  slow: boolean;
}

export interface QueriesStats {
  queries: QueryEntry[];
  dropped: number;
  totalMs: number;
  slowThresholdMs: number;
  /** Query shapes run more than once, most repeated first. */
  repeated: Array<{ shape: string; count: number }>;
}

export interface TemplateRender {
  name: string;
  engine: string;
  startMs: number;
  durationMs: number | null;
  /** Names of the context's keys. */
  contextKeys: string[];
  /** The values as text, only when the `templateValues` option is on. */
  context: Record<string, string> | null;
  error: string | null;
}

/** Absent when the request rendered no template. */
export interface TemplatesStats {
  renders: TemplateRender[];
  dropped: number;
}

export type TimelineKind = 'middleware' | 'handler' | 'query' | 'http' | 'template' | 'gc' | 'span' | 'mark';

export interface TimelineEntry {
  kind: TimelineKind;
  name: string;
  startMs: number;
  /** 0 for marks; null when it had not ended when the record was taken. */
  durationMs: number | null;
}

/** The views also draw the timer panel's `gcPauses` on this axis, as `gc` entries. */
export interface TimelineStats {
  /** The request's own span, the axis every entry sits on. */
  totalMs: number;
  entries: TimelineEntry[];
  dropped: number;
}

export interface ErrorEntry {
  /** `handler`: thrown or passed to `next` in the app; `uncaught`: an uncaught exception or unhandled rejection. */
  source: 'handler' | 'uncaught';
  name: string;
  message: string;
  /** The stack, its frames mapped to the original sources where source maps exist. */
  stack: string;
  atMs: number;
  sourceMapped: boolean;
}

/** Absent when the request had no errors. */
export interface ErrorsStats {
  errors: ErrorEntry[];
  dropped: number;
}

export interface PanelStatsMap {
  logs: LogsStats;
  outbound: OutboundStats;
  queries: QueriesStats;
  templates: TemplatesStats;
  timeline: TimelineStats;
  errors: ErrorsStats;
  timer: TimerStats;
  profile: ProfileStats;
  request: RequestStats;
  response: ResponseStats;
  versions: VersionsStats;
}

export type PanelId = keyof PanelStatsMap;
