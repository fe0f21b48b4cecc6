import { tracingChannel, type TracingChannelSubscribers } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { extname } from 'node:path';
import { firstTime, sharedHook } from './shared-hook.js';
import { currentTrace, now, type SpanEvent } from './trace.js';

/** What Express 5's router (router ≥ 2.3) puts in its `express.router.request` context. */
interface LayerContext {
  req: IncomingMessage & { method?: string };
  /** `method` is set on the layers of a route's handlers, not on middleware. */
  layer: { name?: string; method?: string };
  /** The matched path so far. */
  route?: string;
  result?: unknown;
  error?: unknown;
}

const layers = new WeakMap<object, SpanEvent>();

const finish = (context: object) => {
  const event = layers.get(context);
  if (event !== undefined) event.end ??= now();
};

const layerSubscribers: TracingChannelSubscribers<LayerContext> = {
  start(context) {
    const trace = currentTrace();
    if (trace === undefined) return;
    const { layer, route, req } = context;
    const fn = layer.name === undefined || layer.name === '<anonymous>' ? '' : layer.name;
    const event = trace.spans.push(
      layer.method === undefined
        ? { kind: 'middleware', name: fn || 'middleware', start: now(), end: null }
        : { kind: 'handler', name: `${req.method ?? ''} ${route}${fn === '' ? '' : ` ${fn}`}`, start: now(), end: null },
    );
    if (event !== undefined) layers.set(context, event);
  },
  // A layer that returned a promise ends when it settles (asyncEnd); the others when they return.
  end(context) {
    if ('result' in context || 'error' in context) finish(context);
  },
  asyncStart() {},
  asyncEnd: finish,
  // Published once per error, where it was thrown or passed to `next`.
  error(context) {
    currentTrace()?.errors.push({ source: 'handler', error: context.error, at: now() });
  },
};

/**
 * Express 5's router publishes every middleware and handler it runs, and the errors they
 * throw, reject or pass to `next`: the timeline's middleware chain and the errors panel.
 */
export const hookExpressRouter = sharedHook(() => {
  const channel = tracingChannel<unknown, LayerContext>('express.router.request');
  channel.subscribe(layerSubscribers);
  return () => channel.unsubscribe(layerSubscribers);
});

type RenderCallback = (error: Error | null, html?: string) => void;

interface RenderingApp {
  render(name: string, options?: object | RenderCallback, callback?: RenderCallback): void;
  get(setting: string): unknown;
}

/** Options Express adds to every render's context that are not the app's values. */
const EXPRESS_RENDER_KEYS = new Set(['_locals', 'settings', 'cache']);

function renderContext(options: object): Record<string, unknown> {
  const { _locals: locals } = options as { _locals?: object };
  const context: Record<string, unknown> = { ...locals };
  for (const [key, value] of Object.entries(options)) if (!EXPRESS_RENDER_KEYS.has(key)) context[key] = value;
  return context;
}

/**
 * Express publishes no render events: the app's `render`, which `res.render` calls too, is
 * wrapped once per app. Unrecorded requests go straight to the original.
 */
export function hookRender(req: IncomingMessage): void {
  const app = (req as IncomingMessage & { app?: RenderingApp }).app;
  if (app === undefined || typeof app.render !== 'function' || !firstTime(app)) return;
  const render = app.render;
  app.render = function (this: RenderingApp, name, options, callback) {
    const trace = currentTrace();
    if (trace === undefined) return render.call(this, name, options, callback);
    const done = (typeof options === 'function' ? options : callback)!;
    const opts = typeof options === 'object' && options !== null ? options : {};
    const engine = extname(name).slice(1) || String(this.get('view engine') ?? '');
    const event = trace.renders.push({ name, engine, start: now(), end: null, context: renderContext(opts), error: null });
    if (event === undefined) return render.call(this, name, options, callback);
    return render.call(this, name, opts, (error, html) => {
      event.end = now();
      if (error) event.error = error.message;
      done(error, html);
    });
  };
}
