/** The profiling part of the protocol: V8's `.cpuprofile` format and Loupe's statistics. */

/** A frame as V8 reports it; line and column are 0-based. */
export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: Array<{ line: number; ticks: number }>;
}

/** The `.cpuprofile` format read by Chrome DevTools, VS Code and speedscope. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** Microseconds on the monotonic clock of `process.hrtime`. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One function's line of a statistics table. Lines are 1-based, as editors show them. */
export interface FunctionRow {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
  /** Samples in which the function was on the stack (once per sample, however deep). */
  samples: number;
  /** Samples in which it was the running function. */
  selfSamples: number;
  selfMs: number;
  /** Time on the stack; a recursive function is counted once per sample. */
  cumulativeMs: number;
}

export const PROFILE_SORTS = ['cumulative', 'self', 'samples'] as const;
export type ProfileSort = (typeof PROFILE_SORTS)[number];

/**
 * The `profile` panel of a record. `pending` until the profiler has seen the samples after
 * the request's end (at most one segment, about a second); `expired` when nobody asked for
 * it before the profiler let the samples go.
 */
export interface ProfileStats {
  status: 'pending' | 'ready' | 'expired';
  /**
   * The Loupe instance that recorded the request (host, pid and a random part): only it holds
   * the samples, since the window below is on its own process's clock. Absent in records made
   * before instances were named.
   */
  instance?: string;
  /** The request's window on the profile clock, in microseconds. */
  startUs: number;
  endUs: number;
  intervalMs: number;
  samples: number;
  sampledMs: number;
  /**
   * A V8 profile covers the whole thread: samples taken while other requests were in flight
   * belong to them too. This counts those requests.
   */
  overlappingRequests: number;
  topSelf: FunctionRow[];
  topCumulative: FunctionRow[];
}

export interface RouteTotals {
  /** `GET /users/:id`, or `(unmatched)` */
  route: string;
  requests: number;
  samples: number;
  totalMs: number;
}

/** `GET {api}/profile`: the accumulated statistics of the sampled requests. */
export interface AccumulatedProfileJson {
  /** Milliseconds since the epoch when accumulation started (or was reset). */
  since: number;
  route: string | null;
  intervalMs: number;
  requests: number;
  samples: number;
  totalMs: number;
  sort: ProfileSort;
  /** How many functions there are in all; `functions` holds the first `limit` of them. */
  functionCount: number;
  functions: FunctionRow[];
  routes: RouteTotals[];
}

/** A node of the merged call tree, for flame graphs: `GET {api}/profile/tree`. */
export interface CallTreeNode {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
  selfMs: number;
  totalMs: number;
  samples: number;
  children: CallTreeNode[];
}
