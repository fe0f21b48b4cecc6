import type { LogsStats } from '../../shared/panels.js';
import { hookConsole, hookPino } from '../instrument/loggers.js';
import { cut, valuesAsText } from '../instrument/text.js';
import { offset } from '../instrument/trace.js';
import { tracePanel } from '../instrument/trace-panel.js';
import type { InstrumentationSettings, ResolvedOptions } from '../options.js';

/** Records written through `console`, pino and instrumented winston loggers while the request ran. */
export function logsPanel(options: ResolvedOptions, settings: InstrumentationSettings) {
  const max = settings.maxTextLength;
  return tracePanel<LogsStats>(settings, {
    id: 'logs',
    hooks: [hookConsole, hookPino],
    stats: (ctx, { logs }) => ({
      entries: logs.items.map((entry) => ({
        source: entry.source,
        level: entry.level,
        atMs: offset(ctx, entry.at),
        message: cut(entry.message, max),
        fields: entry.fields === null ? null : valuesAsText(entry.fields, options.redactNames, max),
      })),
      dropped: logs.dropped,
    }),
  });
}
