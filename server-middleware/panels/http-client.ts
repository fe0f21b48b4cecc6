import type { OutboundStats } from '../../shared/panels.js';
import { hookHttpClient } from '../instrument/http-client.js';
import { cut } from '../instrument/text.js';
import { duration, offset } from '../instrument/trace.js';
import { eventsTiming, tracePanel } from '../instrument/trace-panel.js';
import type { InstrumentationSettings, ResolvedOptions } from '../options.js';
import { redactQuery } from '../redact.js';

function redactUrl(url: string, secretNames: readonly string[]): string {
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt) + redactQuery(url.slice(queryAt + 1), secretNames).search;
}

/** Outbound `http`/`https` requests and `fetch` calls made while the request ran. */
export function outboundPanel(options: ResolvedOptions, settings: InstrumentationSettings) {
  return tracePanel<OutboundStats | undefined>(settings, {
    id: 'outbound',
    hooks: [hookHttpClient],
    // Absent from the record when the request made no calls, like templates and errors.
    stats(ctx, { calls }) {
      if (calls.empty) return undefined;
      return {
        calls: calls.items.map((call) => ({
          via: call.via,
          method: call.method,
          url: cut(redactUrl(call.url, options.redactNames), settings.maxTextLength),
          status: call.status,
          startMs: offset(ctx, call.start),
          // A body nobody read never ends: then the call took until its headers.
          durationMs: duration({ start: call.start, end: call.end ?? (ctx.endedAt === null ? null : call.headersAt) }),
          bytes: call.bytes,
          error: call.error,
          loupe: call.loupe,
        })),
        dropped: calls.dropped,
      };
    },
    serverTiming: (ctx, { calls }) => eventsTiming(ctx, 'outbound', 'Outbound calls', calls),
  });
}
