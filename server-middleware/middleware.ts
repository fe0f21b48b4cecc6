import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import vary from 'vary';
import { HEADERS } from '../shared/protocol.js';
import { createRecordingGate } from './access.js';
import { createApiHandler } from './api/handler.js';
import { sendError } from './api/respond.js';
import { requestContext, type RequestContext } from './context.js';
import { resolveOptions, type LoupeOptions } from './options.js';
import { defaultPanels } from './panels/index.js';
import { asksForProfile, replaceWithProfile, sendAccumulatedText } from './profile-pages.js';
import { inspectorInUse } from './profiler/inspector-use.js';
import { RequestProfiler } from './profiler/profiler.js';
import { createRecorder } from './recorder.js';
import { holdRecordingHooks } from './recording-hooks.js';
import { createRequestProfiles } from './request-profiles.js';
import { meterResponse, type ResponseMeterHooks } from './response-meter.js';
import { createStore } from './stores/create-store.js';
import { localSampleCounter } from './stores/sample-counter.js';
import type { RecordStore } from './stores/store.js';

export type NextFunction = (error?: unknown) => void;

/** Connect/Express-style middleware; a plain `node:http` server passes its handler as `next`. */
export interface LoupeMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  /** Where records are kept. */
  readonly store: RecordStore;
  /** The CPU profiler, or null when profiling is off or the inspector is unavailable. */
  readonly profiler: RequestProfiler | null;
  /** Stops the profiler, timers and observers, saves the statistics and closes the store. */
  close(): Promise<void>;
}

interface MountedRequest extends IncomingMessage {
  baseUrl?: string;
}

/** What the middleware decided about one recorded request. */
interface Plan {
  /** Counted into the accumulated profile (every request in development, 1 in N in production). */
  profile: boolean;
  /** `?profile` from someone allowed to see it. */
  profileText: boolean;
}

/**
 * The Loupe middleware: mount it first. It records requests it may record (see the access
 * rules), tags their responses with `X-Loupe-Id`, `X-Loupe-Api` and `Server-Timing`, profiles
 * sampled requests, and serves the JSON API below `apiBase` and the text statistics at
 * `profilePath`. Nothing Loupe does can change the app's response: every failure inside it
 * is reported through `onError` and the request goes on.
 */
export function loupe(userOptions: LoupeOptions = {}): LoupeMiddleware {
  const options = resolveOptions(userOptions);
  const { apiBase, mode } = options;
  const isProfilePage = pageMatcher(options.profilePath);
  const store = createStore(options.store, options.bounds, options.onError);
  const profiler = startProfiler(options, store);
  const profiles = createRequestProfiles(profiler, store, options);
  // Asked once here, and then of the profiler, which notices a debugger that attaches later.
  const unavailableAtStart = profiler === null ? inspectorInUse() : null;
  const unavailable = () => unavailableAtStart ?? profiler?.unavailable ?? null;
  const panels = [...defaultPanels(options, { instance: profiles.instance, unavailable }), ...options.panels];
  const recorder = createRecorder(options, store, panels, profiles.completed);
  const gate = createRecordingGate(options);
  const handleApi = createApiHandler({ recorder, store, profiler, profiles, onError: options.onError });
  const sampleEvery = mode === 'production' && profiler !== null ? options.sampleEvery : 0;
  // A store shared by a fleet shares the count too, so that "every Nth" holds fleet-wide.
  const sampleCounter = store.sampleCounter?.(sampleEvery) ?? localSampleCounter(sampleEvery);
  const hooks = holdRecordingHooks(options, panels);

  /**
   * Runs `allowed` for readers of Loupe's data, `refuse` for anyone else. In production a
   * stranger must not learn that Loupe exists, so everything refused goes on to the app.
   */
  const guarded = (req: IncomingMessage, allowed: () => unknown, refuse: () => void) => {
    const decision = gate.mayRead(req);
    if (decision === true) allowed();
    else if (decision === false) refuse();
    else {
      decision.then(
        (ok) => (ok ? allowed() : refuse()),
        (error: unknown) => {
          options.onError(error, 'authorize');
          refuse();
        },
      );
    }
  };

  /** Whether requests are profiled now: the profiler may give up later, when a debugger attaches. */
  const profiling = () => profiler !== null && profiler.running;

  const trackProfileOnly = (req: IncomingMessage, res: ServerResponse) => {
    if (!profiling()) return;
    const window = profiler!.open(req, performance.now(), false);
    res.on('close', () => profiler!.close(window, performance.now()));
  };

  const meterHooks: ResponseMeterHooks<RequestContext> = {
    onHeaders(ctx) {
      const timing = recorder.headersWritten(ctx);
      if (timing !== '') ctx.res.appendHeader(HEADERS.serverTiming, timing);
    },
    onBody(ctx, bytes) {
      ctx.bytes += bytes;
    },
    onError: (error) => options.onError(error, 'response hook'),
  };

  const startRecording = (req: IncomingMessage, res: ServerResponse, plan: Plan): RequestContext | undefined => {
    const leaveHooks = hooks.enter();
    try {
      const ctx = recorder.begin(req, res, plan.profile);
      const window = plan.profile ? profiler!.open(req, ctx.start, true) : null;
      meterResponse(res, ctx, meterHooks);
      // 'close' follows 'finish' on every response, and is the only event of an aborted one.
      res.on('close', () => {
        recorder.finish(ctx, !res.writableFinished);
        if (window !== null) profiler!.close(window, ctx.endedAt!);
        leaveHooks();
      });
      res.setHeader(HEADERS.id, ctx.id);
      res.setHeader(HEADERS.api, ((req as MountedRequest).baseUrl ?? '') + apiBase);
      // A keyed response must not be reused from the browser's cache for a request without
      // the key (another tab), or that tab would show this record.
      if (mode === 'production') vary(res, HEADERS.key);
      if (plan.profileText) replaceWithProfile(ctx, profiler!);
      return ctx;
    } catch (error) {
      leaveHooks();
      options.onError(error, 'recording a request');
      return undefined;
    }
  };

  const proceed = (req: IncomingMessage, res: ServerResponse, next: NextFunction, plan: Plan) => {
    const ctx = startRecording(req, res, plan);
    if (ctx === undefined) next();
    else requestContext.run(ctx, next);
  };

  /** What to do with a request once it is known whether it may be recorded. */
  const decide = (req: IncomingMessage, res: ServerResponse, next: NextFunction, url: string, recorded: boolean) => {
    // Counted for every request the app sees, so that "every Nth" holds whoever sends them.
    const sampled = sampleEvery > 0 && sampleCounter.next();
    if (!recorded) {
      // The public's path in production: nothing more than this counter and, 1 in N, a window.
      if (sampled) trackProfileOnly(req, res);
      next();
      return;
    }
    let plan: Plan;
    try {
      // In development anyone's request is recorded, but only API readers may see its profile.
      const profileText = profiling() && asksForProfile(url) && (mode === 'production' || gate.mayRead(req) === true);
      plan = { profile: profiling() && (mode === 'development' || sampled || profileText), profileText };
    } catch (error) {
      options.onError(error, 'planning a request');
      plan = { profile: false, profileText: false };
    }
    proceed(req, res, next, plan);
  };

  const middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => {
    let url: string;
    let decision: boolean | Promise<boolean>;
    try {
      url = req.url ?? '/';
      if (isBelow(url, apiBase)) {
        const { path, search } = splitUrl(url);
        guarded(
          req,
          () => handleApi(req, res, path.slice(apiBase.length), search),
          mode === 'production'
            ? next
            : () =>
                sendError(res, 403, 'forbidden', 'The Loupe API answers local clients at local host names only; see the allow and allowedHosts options'),
        );
        return;
      }
      // The app may own this URL too: whoever may not see the statistics gets the app's page.
      if (profiler !== null && isProfilePage(url)) {
        guarded(
          req,
          () =>
            sendAccumulatedText(res, profiler, splitUrl(url).search).catch((error: unknown) => {
              options.onError(error, 'profile page');
              sendError(res, 503, 'profile_unavailable', 'The accumulated profile could not be read; see the server log');
            }),
          next,
        );
        return;
      }
      decision = gate.mayRecord(req);
    } catch (error) {
      options.onError(error, 'deciding whether to record');
      next();
      return;
    }
    if (typeof decision === 'boolean') decide(req, res, next, url, decision);
    else {
      decision.then(
        (recorded) => decide(req, res, next, url, recorded),
        (error: unknown) => {
          options.onError(error, 'authorize');
          decide(req, res, next, url, false);
        },
      );
    }
  };

  return Object.assign(middleware, {
    store,
    profiler,
    async close() {
      hooks.close();
      recorder.close();
      profiles.close();
      await profiler?.stop();
      await store.close();
    },
  });
}

function startProfiler(options: ReturnType<typeof resolveOptions>, store: RecordStore): RequestProfiler | null {
  if (options.profile === null) return null;
  if (options.mode === 'production' && options.sampleEvery === 0) return null;
  const profiler = new RequestProfiler(options.profile, options.statsFile, options.onError, store.profileSink ?? null);
  return profiler.start() ? profiler : null;
}

function splitUrl(url: string): { path: string; search: string } {
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? { path: url, search: '' } : { path: url.slice(0, queryAt), search: url.slice(queryAt + 1) };
}

/** `base` itself or anything below it, by whole path segments: `/x`, `/x/…`, `/x?…`. */
function isBelow(url: string, base: string): boolean {
  if (!url.startsWith(base)) return false;
  const next = url.charCodeAt(base.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

/** Matches the page itself, with or without its trailing slash, with any query string. */
function pageMatcher(page: string): (url: string) => boolean {
  const bare = page.endsWith('/') ? page.slice(0, -1) : page;
  return (url) => {
    if (!url.startsWith(bare)) return false;
    const { path } = splitUrl(url);
    return path === page || path === bare;
  };
}
