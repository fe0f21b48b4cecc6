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
 * A panel that reads the request's trace. Its hooks write only into the traces of recorded
 * requests. They are acquired once, when the panel is made, or, with `hooks:
 * 'while-recording'`, only while recorded requests are in flight and for `hooksLingerMs`
 * after, so that the public's requests in production run with nobody listening.
 */
export function tracePanel<Stats>(settings: InstrumentationSettings, spec: TracePanelSpec<Stats>): Panel<Stats, RequestTrace> {
  const acquireAll = () => spec.hooks.map((acquire) => acquire());
  let releases: Array<() => void> | null = settings.hooks === 'always' ? acquireAll() : null;
  let recording = 0;
  let lingering: NodeJS.Timeout | null = null;
  const stopLingering = () => {
    if (lingering !== null) clearTimeout(lingering);
    lingering = null;
  };
  const releaseAll = () => {
    stopLingering();
    for (const release of releases ?? []) release();
    releases = null;
  };
  const done = () => {
    if (--recording > 0) return;
    lingering = setTimeout(releaseAll, settings.hooksLingerMs);
    lingering.unref();
  };
  return {
    id: spec.id,
    start(ctx) {
      if (settings.hooks === 'while-recording') {
        if (recording++ === 0) {
          stopLingering();
          releases ??= acquireAll();
        }
        ctx.res.once('close', done);
      }
      const trace = traceFor(ctx, settings);
      spec.start?.(ctx);
      return trace;
    },
    stats: spec.stats,
    ...(spec.serverTiming === undefined ? {} : { serverTiming: spec.serverTiming }),
    close() {
      releaseAll();
      spec.close?.();
    },
  };
}
