import { performance } from 'node:perf_hooks';
import type { RequestContext } from '../context.js';
import type { InstrumentationSettings } from '../options.js';
import type { Panel, ServerTimingEntry } from '../panels/panel.js';
import { traceFor, type Capped, type RequestTrace, type Timed } from './trace.js';

export interface TracePanelSpec<Stats> {
  id: string;
  /** The process-wide hooks that write into the trace. */
  hooks: Array<() => () => void>;
  /** Runs as each recorded request starts, after its trace exists. */
  start?(ctx: RequestContext): void;
  stats(ctx: RequestContext, trace: RequestTrace): Stats;
  serverTiming?(ctx: RequestContext, trace: RequestTrace): ServerTimingEntry[];
  close?(): void;
}

/** A panel that reads the request's trace, which its hooks write into for recorded requests only. */
export function tracePanel<Stats>(settings: InstrumentationSettings, spec: TracePanelSpec<Stats>): Panel<Stats, RequestTrace> {
  return {
    id: spec.id,
    hooks: spec.hooks,
    start(ctx) {
      const trace = traceFor(ctx, settings);
      spec.start?.(ctx);
      return trace;
    },
    stats: spec.stats,
    ...(spec.serverTiming === undefined ? {} : { serverTiming: spec.serverTiming }),
    ...(spec.close === undefined ? {} : { close: spec.close }),
  };
}

/**
 * A panel's metric in `Server-Timing`: how long its events took until the headers went out
 * (summed, as Rails does: concurrent ones overlap) and how many there were; none without events.
 */
export function eventsTiming(ctx: RequestContext, name: string, label: string, events: Capped<Timed>): ServerTimingEntry[] {
  if (events.items.length === 0) return [];
  const until = ctx.headersAt ?? performance.now();
  let ms = 0;
  for (const event of events.items) ms += (event.end ?? until) - event.start;
  return [{ name, durationMs: ms, description: `${label} (${events.items.length + events.dropped})` }];
}
