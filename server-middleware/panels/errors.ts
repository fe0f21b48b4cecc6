import type { ErrorsStats } from '../../shared/panels.js';
import { hookExpress4Layers, hookExpressRouter } from '../instrument/express.js';
import { stacksAreSourceMapped } from '../instrument/stack.js';
import { cut } from '../instrument/text.js';
import { offset } from '../instrument/trace.js';
import { tracePanel } from '../instrument/trace-panel.js';
import { hookUncaught } from '../instrument/uncaught.js';
import type { InstrumentationSettings } from '../options.js';

/** Errors thrown, rejected or passed to `next` in handlers, and uncaught ones, during the request. */
export function errorsPanel(settings: InstrumentationSettings) {
  const max = settings.maxTextLength * 4;
  return tracePanel<ErrorsStats | undefined>(settings, {
    id: 'errors',
    hooks: [hookExpressRouter, hookUncaught],
    start: (ctx) => hookExpress4Layers(ctx.req),
    stats(ctx, { errors }) {
      if (errors.empty) return undefined;
      return {
        errors: errors.items.map(({ source, error, at }) => {
          const isError = error instanceof Error;
          const stack = isError ? (error.stack ?? String(error)) : String(error);
          return {
            source,
            name: isError ? error.name : typeof error,
            message: cut(isError ? error.message : String(error), settings.maxTextLength),
            stack: cut(stack, max),
            atMs: offset(ctx, at),
            sourceMapped: stacksAreSourceMapped(),
          };
        }),
        dropped: errors.dropped,
      };
    },
  });
}
