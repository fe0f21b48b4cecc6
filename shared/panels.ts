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
}

export interface PanelStatsMap {
  timer: TimerStats;
  profile: ProfileStats;
  request: RequestStats;
  response: ResponseStats;
  versions: VersionsStats;
}

export type PanelId = keyof PanelStatsMap;
