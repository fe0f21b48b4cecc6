import type { TemplatesStats } from '../../shared/panels.js';
import { hookRender } from '../instrument/express.js';
import { valuesAsText } from '../instrument/text.js';
import { duration, offset } from '../instrument/trace.js';
import { eventsTiming, tracePanel } from '../instrument/trace-panel.js';
import type { InstrumentationSettings, ResolvedOptions } from '../options.js';

/** `res.render` and `app.render` calls: template, engine, time and the context's key names. */
export function templatesPanel(options: ResolvedOptions, settings: InstrumentationSettings) {
  return tracePanel<TemplatesStats | undefined>(settings, {
    id: 'templates',
    hooks: [],
    start: (ctx) => hookRender(ctx.req),
    stats(ctx, { renders }) {
      if (renders.empty) return undefined;
      return {
        renders: renders.items.map((render) => ({
          name: render.name,
          engine: render.engine,
          startMs: offset(ctx, render.start),
          durationMs: duration(render),
          contextKeys: Object.keys(render.context),
          context: settings.templateValues ? valuesAsText(render.context, options.redactNames, settings.maxTextLength) : null,
          error: render.error,
        })),
        dropped: renders.dropped,
      };
    },
    serverTiming: (ctx, { renders }) => eventsTiming(ctx, 'templates', 'Templates', renders),
  });
}
