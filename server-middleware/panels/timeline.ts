import type { TimelineEntry, TimelineStats } from '../../shared/panels.js';
import type { RequestContext } from '../context.js';
import { hookExpressRouter } from '../instrument/express.js';
import { duration, offset, type RequestTrace, type Timed } from '../instrument/trace.js';
import { tracePanel } from '../instrument/trace-panel.js';
import { ProcessMonitor } from '../monitors/process-monitor.js';
import type { InstrumentationSettings } from '../options.js';
import type { ServerTimingEntry } from './panel.js';

const LABEL_LENGTH = 120;

/** A `Server-Timing` metric name is a token: no spaces, quotes or separators. */
const metricName = (name: string) => `span-${name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]+/g, '_')}`;

/**
 * Everything the request did on one time axis, as a waterfall: the middleware chain and route
 * handlers (from Express 5's router), queries, outbound calls, template renders, GC pauses and
 * the app's own spans and marks. Spans also go into `Server-Timing`.
 */
export function timelinePanel(settings: InstrumentationSettings) {
  const monitor = new ProcessMonitor();
  const entries = (ctx: RequestContext, trace: RequestTrace): TimelineEntry[] => {
    const at = (kind: TimelineEntry['kind'], name: string, timed: Timed): TimelineEntry => ({
      kind,
      name: name.length > LABEL_LENGTH ? `${name.slice(0, LABEL_LENGTH)}…` : name,
      startMs: offset(ctx, timed.start),
      durationMs: duration(timed),
    });
    const end = ctx.endedAt ?? performance.now();
    return [
      ...trace.spans.items.map((span) => at(span.kind, span.name, span)),
      ...trace.queries.items.map((query) => at('query', `${query.system}: ${query.text}`, query)),
      ...trace.calls.items.map((call) => at('http', `${call.method} ${call.url.split('?')[0]}`, call)),
      ...trace.renders.items.map((render) => at('template', render.name, render)),
      ...monitor.gcPauses(ctx.start, end).map((pause) => ({
        kind: 'gc' as const,
        name: `GC (${pause.kind})`,
        startMs: Math.round(pause.startMs * 1000) / 1000,
        durationMs: Math.round(pause.durationMs * 1000) / 1000,
      })),
    ].sort((a, b) => a.startMs - b.startMs);
  };
  return tracePanel<TimelineStats>(settings, {
    id: 'timeline',
    hooks: [hookExpressRouter],
    start: () => monitor.ensureStarted(),
    stats(ctx, trace) {
      const { spans, queries, calls, renders } = trace;
      return {
        totalMs: offset(ctx, ctx.endedAt ?? performance.now()),
        entries: entries(ctx, trace),
        dropped: spans.dropped + queries.dropped + calls.dropped + renders.dropped,
      };
    },
    serverTiming(_ctx, { spans }): ServerTimingEntry[] {
      return spans.items
        .filter((span) => span.kind === 'span' && span.end !== null)
        .map((span) => ({ name: metricName(span.name), durationMs: duration(span)!, description: span.name }));
    },
    close: () => monitor.close(),
  });
}
