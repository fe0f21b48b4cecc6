import type { RequestContext } from '../context.js';
import type { InstrumentationSettings } from '../options.js';
import type { Panel, ServerTimingEntry } from '../panels/panel.js';
import { traceFor, type RequestTrace } from './trace.js';

export interface TracePanelSpec<Stats> {
  id: string;
  /** The process-wide hooks the panel needs, each acquired once per panel. */
  hooks: Array<() => () => void>;
  /** Runs as each recorded request starts, after its trace exists. */
  start?(ctx: RequestContext): void;
  stats(ctx: RequestContext, trace: RequestTrace): Stats;
  serverTiming?(ctx: RequestContext, trace: RequestTrace): ServerTimingEntry[];
  close?(): void;
}

/**
 * A panel that reads the request's trace. Its hooks are acquired once, when the panel is made,
 * and write only into the traces of recorded requests; the panel's own per-request work is
 * making sure the trace exists.
 */
export function tracePanel<Stats>(settings: InstrumentationSettings, spec: TracePanelSpec<Stats>): Panel<Stats, RequestTrace> {
  const releases = spec.hooks.map((acquire) => acquire());
  return {
    id: spec.id,
    start(ctx) {
      const trace = traceFor(ctx, settings);
      spec.start?.(ctx);
      return trace;
    },
    stats: spec.stats,
    ...(spec.serverTiming === undefined ? {} : { serverTiming: spec.serverTiming }),
    close() {
      for (const release of releases) release();
      spec.close?.();
    },
  };
}
