import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sharedHook } from './instrument/shared-hook.js';
import type { RequestTrace } from './instrument/trace.js';

/** What Loupe knows about one recorded request while it runs. */
export interface RequestContext {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Milliseconds since the epoch, for the record. */
  readonly startedAt: number;
  /** `performance.now()` at arrival: the time axis of every offset in the record. */
  readonly start: number;
  /** `performance.now()` when the headers were written. */
  headersAt: number | null;
  /** `performance.now()` when the response ended or the client went away. */
  endedAt: number | null;
  /** The matched route pattern, read while the route's handler is on the stack. */
  route: string | null;
  /** Body bytes handed to Node so far. */
  bytes: number;
  aborted: boolean;
  /** Whether this request's CPU samples go into the profile. */
  readonly profiled: boolean;
  /** The instance's counters of recorded requests, shared by all its contexts. */
  readonly counters: RequestCounters;
  /** How many other recorded requests were in flight when this one started. */
  readonly inFlightAtStart: number;
  /** `counters.started` just after this one started, and when it ended. */
  readonly startSerial: number;
  endSerial: number | null;
  /** Per-panel state, indexed like the instance's panel list. */
  readonly panelState: unknown[];
  /** What the instrumentation panels collect (logs, queries, calls…); absent when none runs. */
  trace?: RequestTrace;
}

export interface RequestCounters {
  started: number;
  inFlight: number;
}

/**
 * How many other recorded requests overlapped this one: those already in flight when it
 * started plus those that started before it ended. Process-wide figures (CPU, GC, the
 * event loop) are shared among them all.
 */
export function overlappingRequests(ctx: RequestContext): number {
  return ctx.inFlightAtStart + (ctx.endSerial ?? ctx.counters.started) - ctx.startSerial;
}

/**
 * The one piece of ambient state: the request being handled, found from anywhere in its
 * async call tree (log hooks, `diagnostics_channel` subscribers, user spans).
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/**
 * Node 20's AsyncLocalStorage, once it has run anything, keeps async hooks on that every
 * async resource pays, recorded request or not: after one keyed request, 8 % of a short
 * route's throughput in production. Loupe instances hold this while they may record, and the
 * hooks go when none does; the next `run` brings them back.
 */
export const holdRequestContext = sharedHook(() => () => requestContext.disable());

/** The request Loupe is recording in the current async context, if any. */
export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}
