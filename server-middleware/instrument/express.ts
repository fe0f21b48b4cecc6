import { tracingChannel, type TracingChannelSubscribers } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { extname } from 'node:path';
import { matchedRoute } from '../route.js';
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

/** A middleware or route handler's entry on the timeline; handlers are named by their route. */
function layerSpan(layer: LayerContext['layer'], method: string | undefined, route: string | null | undefined): SpanEvent {
  const fn = layer.name === undefined || layer.name === '<anonymous>' ? '' : layer.name;
  return layer.method === undefined
    ? { kind: 'middleware', name: fn || 'middleware', start: now(), end: null }
    : { kind: 'handler', name: `${method ?? ''} ${route ?? ''}${fn === '' ? '' : ` ${fn}`}`, start: now(), end: null };
}

const isRoutingSignal = (error: unknown) => error === 'route' || error === 'router';

const layerSubscribers: TracingChannelSubscribers<LayerContext> = {
  start(context) {
    const trace = currentTrace();
    if (trace === undefined) return;
    const { layer, route, req } = context;
    const event = trace.spans.push(layerSpan(layer, req.method, route));
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

interface Express4Layer {
  handle: (...args: unknown[]) => unknown;
  name?: string;
  method?: string;
  /** Set on the layer that dispatches to a route: its handlers are layers of their own. */
  route?: unknown;
  handle_request(req: IncomingMessage, res: unknown, next: (error?: unknown) => void): void;
}

/**
 * Express 4's router publishes nothing: its `Layer.prototype.handle_request` is wrapped once,
 * found through the app's router, for the timeline's middleware chain and the errors that
 * handlers throw or pass to `next` (each recorded where it starts). Express 5 apps have no
 * `_router` and go by the channel above.
 */
export function hookExpress4Layers(req: IncomingMessage): void {
  const first = (req as IncomingMessage & { app?: { _router?: { stack?: object[] } } }).app?._router?.stack?.[0];
  if (first === undefined) return;
  const layer = Object.getPrototypeOf(first) as Express4Layer;
  if (typeof layer.handle_request !== 'function' || !firstTime(layer)) return;
  const handleRequest = layer.handle_request;
  layer.handle_request = function (this: Express4Layer, req, res, next) {
    const trace = currentTrace();
    if (trace === undefined || this.route !== undefined || this.handle.length > 3) return handleRequest.call(this, req, res, next);
    const event = trace.spans.push(layerSpan(this, req.method, matchedRoute(req)));
    return handleRequest.call(this, req, res, function (this: unknown, error?: unknown) {
      if (event !== undefined) event.end ??= now();
      if (error !== undefined && !isRoutingSignal(error)) trace.errors.push({ source: 'handler', error, at: now() });
      return next.call(this, error);
    });
  };
}

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
