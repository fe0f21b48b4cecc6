import type { RequestContext } from '../context.js';
import type { InstrumentationSettings } from '../options.js';
import type { Panel, ServerTimingEntry } from '../panels/panel.js';
import { lingeringLease } from '../lingering-lease.js';
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
 * A panel that reads the request's trace. Its hooks write only into the traces of recorded
 * requests. They are acquired once, when the panel is made, or, with `hooks:
 * 'while-recording'`, only while recorded requests are in flight and for `hooksLingerMs`
 * after, so that the public's requests in production run with nobody listening.
 */
export function tracePanel<Stats>(settings: InstrumentationSettings, spec: TracePanelSpec<Stats>): Panel<Stats, RequestTrace> {
  const acquireAll = () => {
    const releases = spec.hooks.map((acquire) => acquire());
    return () => releases.forEach((release) => release());
  };
  const releaseAlways = settings.hooks === 'always' ? acquireAll() : null;
  const lease = settings.hooks === 'while-recording' ? lingeringLease(acquireAll, settings.hooksLingerMs) : null;
  return {
    id: spec.id,
    start(ctx) {
      if (lease !== null) ctx.res.once('close', lease.enter());
      const trace = traceFor(ctx, settings);
      spec.start?.(ctx);
      return trace;
    },
    stats: spec.stats,
    ...(spec.serverTiming === undefined ? {} : { serverTiming: spec.serverTiming }),
    close() {
      releaseAlways?.();
      lease?.close();
      spec.close?.();
    },
  };
}
