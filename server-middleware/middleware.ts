import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEADERS } from '../shared/protocol.js';
import { createRecordingGate } from './access.js';
import { createApiHandler } from './api/handler.js';
import { sendError } from './api/respond.js';
import { requestContext, type RequestContext } from './context.js';
import { resolveOptions, type LoupeOptions } from './options.js';
import { defaultPanels } from './panels/index.js';
import { createRecorder } from './recorder.js';
import { meterResponse } from './response-meter.js';
import { MemoryStore } from './stores/memory-store.js';
import type { RecordStore } from './stores/store.js';

export type NextFunction = (error?: unknown) => void;

/** Connect/Express-style middleware; a plain `node:http` server passes its handler as `next`. */
export interface LoupeMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  /** Where records are kept. */
  readonly store: RecordStore;
  /** Stops Loupe's timers and observers and closes the store. */
  close(): Promise<void>;
}

interface MountedRequest extends IncomingMessage {
  baseUrl?: string;
}

/**
 * The Loupe middleware: mount it first. It records requests it may record (see the access
 * rules), tags their responses with `X-Loupe-Id`, `X-Loupe-Api` and `Server-Timing`, and
 * serves the JSON API below `apiBase`. Nothing Loupe does can change the app's response:
 * every failure inside it is reported through `onError` and the request goes on.
 */
export function loupe(userOptions: LoupeOptions = {}): LoupeMiddleware {
  const options = resolveOptions(userOptions);
  const store = options.store ?? new MemoryStore(options.bounds);
  const recorder = createRecorder(options, store, [...defaultPanels(options), ...options.panels]);
  const gate = createRecordingGate(options);
  const handleApi = createApiHandler({ recorder, store, onError: options.onError });
  const apiBase = options.apiBase;

  const refuse = (res: ServerResponse, next: NextFunction) => {
    // In production a stranger must not learn that Loupe exists: the app answers as usual.
    if (options.mode === 'production') next();
    else sendError(res, 403, 'forbidden', 'The Loupe API answers loopback clients only; see the allow option');
  };

  const serveApi = (req: IncomingMessage, res: ServerResponse, next: NextFunction, url: string) => {
    const queryAt = url.indexOf('?');
    const path = (queryAt === -1 ? url : url.slice(0, queryAt)).slice(apiBase.length);
    const search = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const allowed = gate.mayRead(req);
    if (allowed === true) void handleApi(req, res, path, search);
    else if (allowed === false) refuse(res, next);
    else {
      allowed.then(
        (ok) => (ok ? handleApi(req, res, path, search) : refuse(res, next)),
        (error: unknown) => {
          options.onError(error, 'authorize');
          refuse(res, next);
        },
      );
    }
  };

  const startRecording = (req: IncomingMessage, res: ServerResponse): RequestContext | undefined => {
    try {
      const ctx = recorder.begin(req, res);
      const onHookError = (error: unknown) => options.onError(error, 'response hook');
      meterResponse(
        res,
        {
          onHeaders: () => {
            const timing = recorder.headersWritten(ctx);
            if (timing !== '') res.appendHeader(HEADERS.serverTiming, timing);
          },
          onBody: (bytes) => {
            ctx.bytes += bytes;
          },
        },
        onHookError,
      );
      res.once('finish', () => recorder.finish(ctx, false));
      res.once('close', () => recorder.finish(ctx, !res.writableFinished));
      res.setHeader(HEADERS.id, ctx.id);
      res.setHeader(HEADERS.api, ((req as MountedRequest).baseUrl ?? '') + apiBase);
      return ctx;
    } catch (error) {
      options.onError(error, 'recording a request');
      return undefined;
    }
  };

  const recordAndContinue = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => {
    const ctx = startRecording(req, res);
    if (ctx === undefined) next();
    else requestContext.run(ctx, next);
  };

  const middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => {
    let decision: boolean | Promise<boolean>;
    try {
      const url = req.url ?? '/';
      if (url.startsWith(apiBase) && isBoundary(url.charCodeAt(apiBase.length))) {
        serveApi(req, res, next, url);
        return;
      }
      decision = gate.mayRecord(req);
    } catch (error) {
      options.onError(error, 'deciding whether to record');
      decision = false;
    }
    if (decision === true) recordAndContinue(req, res, next);
    else if (decision === false) next();
    else {
      decision.then(
        (ok) => (ok ? recordAndContinue(req, res, next) : next()),
        (error: unknown) => {
          options.onError(error, 'authorize');
          next();
        },
      );
    }
  };

  return Object.assign(middleware, {
    store,
    async close() {
      recorder.close();
      await store.close();
    },
  });
}

/** The API base matches only whole path segments: `/__loupe/api`, `/__loupe/api/…`, `…?`. */
function isBoundary(charCode: number): boolean {
  return Number.isNaN(charCode) || charCode === 47 /* / */ || charCode === 63 /* ? */;
}
