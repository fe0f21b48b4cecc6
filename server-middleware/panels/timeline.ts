import type { TimelineEntry, TimelineStats } from '../../shared/panels.js';
import type { RequestContext } from '../context.js';
import { hookExpress4Layers, hookExpressRouter } from '../instrument/express.js';
import { duration, offset, type RequestTrace, type Timed } from '../instrument/trace.js';
import { recordedQueryText } from '../instrument/sql.js';
import { tracePanel } from '../instrument/trace-panel.js';
import type { InstrumentationSettings } from '../options.js';
import type { ServerTimingEntry } from './panel.js';

const LABEL_LENGTH = 120;

/** A `Server-Timing` metric name is a token: no spaces, quotes or separators. */
const metricName = (name: string) => `span-${name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]+/g, '_')}`;

/**
 * Everything the request did on one time axis, as a waterfall: the middleware chain and route
 * handlers (from Express's router), queries, outbound calls, template renders and the app's
 * own spans and marks. Spans also go into `Server-Timing`. GC pauses are on the same axis in
 * the timer panel already: the view draws them in, rather than the server scanning them twice.
 */
export function timelinePanel(settings: InstrumentationSettings) {
  const timelineOf = (ctx: RequestContext, trace: RequestTrace): TimelineEntry[] => {
    const at = (kind: TimelineEntry['kind'], name: string, timed: Timed): TimelineEntry => ({
      kind,
      name: name.length > LABEL_LENGTH ? `${name.slice(0, LABEL_LENGTH)}…` : name,
      startMs: offset(ctx, timed.start),
      durationMs: duration(timed),
    });
    const entries: TimelineEntry[] = [];
    for (const span of trace.spans.items) entries.push(at(span.kind, span.name, span));
    for (const query of trace.queries.items) entries.push(at('query', `${query.system}: ${recordedQueryText(query, settings.queryParams)}`, query));
    for (const call of trace.calls.items) entries.push(at('http', `${call.method} ${call.url.split('?')[0]}`, call));
    for (const render of trace.renders.items) entries.push(at('template', render.name, render));
    return entries.sort((a, b) => a.startMs - b.startMs);
  };
  return tracePanel<TimelineStats>(settings, {
    id: 'timeline',
    hooks: [hookExpressRouter],
    start: (ctx) => hookExpress4Layers(ctx.req),
    stats(ctx, trace) {
      const { spans, queries, calls, renders } = trace;
      return {
        totalMs: offset(ctx, ctx.endedAt ?? performance.now()),
        entries: timelineOf(ctx, trace),
        dropped: spans.dropped + queries.dropped + calls.dropped + renders.dropped,
      };
    },
    serverTiming(_ctx, { spans }): ServerTimingEntry[] {
      return spans.items
        .filter((span) => span.kind === 'span' && span.end !== null)
        .map((span) => ({ name: metricName(span.name), durationMs: duration(span)!, description: span.name }));
    },
  });
}
