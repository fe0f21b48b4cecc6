import type { RequestContext } from '../context.js';
import type { ResolvedOptions } from '../options.js';

/** One `Server-Timing` metric. */
export interface ServerTimingEntry {
  name: string;
  durationMs?: number;
  description?: string;
}

/**
 * A panel, after django-debug-toolbar's: one concern, a small lifecycle.
 * `start` takes baselines or enables instrumentation when a recorded request begins and
 * returns the panel's per-request state; `stats` turns that state into the panel's record,
 * when the request ends or when someone asks for a pending request.
 */
export interface Panel<Stats = unknown, State = unknown> {
  readonly id: string;
  /**
   * Process-wide hooks that feed the panel (channel subscriptions, a wrapped console), each
   * made with `sharedHook`. Loupe holds them while requests are recorded or for good, as
   * `instrumentation.hooks` says, together for all panels.
   */
  readonly hooks?: ReadonlyArray<() => () => void>;
  start?(ctx: RequestContext): State;
  stats(ctx: RequestContext, state: State): Stats;
  /** Metrics for `Server-Timing`, asked for when the headers are written. */
  serverTiming?(ctx: RequestContext, state: State): ServerTimingEntry[];
  /** Releases process-wide resources (observers, timers) when Loupe is closed. */
  close?(): void;
}

/**
 * Thrown by `stats` when a panel cannot say anything for a known, lasting reason (such as
 * profiling being off): the record names it in `skipped`, and `onError`, which was told once,
 * is not told again for every request.
 */
export class PanelSkipped extends Error {}

/** What a panel factory may read: the resolved options of its Loupe instance. */
export type PanelFactory = (options: ResolvedOptions) => Panel;
