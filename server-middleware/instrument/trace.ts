import { performance } from 'node:perf_hooks';
import { currentRequest, type RequestContext } from '../context.js';
import type { InstrumentationSettings } from '../options.js';
import type { CallSite } from './stack.js';

/** A per-request list that keeps its first `limit` items and counts the rest. */
export class Capped<T> {
  /** Most requests leave most lists empty: they share one empty array until their first item. */
  items: readonly T[] = NOTHING;
  dropped = 0;

  constructor(private readonly limit: number) {}

  /** The item as kept, or undefined when the list was full and it was only counted. */
  push(item: T): T | undefined {
    if (this.items.length >= this.limit) {
      this.dropped++;
      return undefined;
    }
    if (this.items === NOTHING) this.items = [item];
    else (this.items as T[]).push(item);
    return item;
  }

  /** Nothing was kept or counted. */
  get empty(): boolean {
    return this.items.length === 0 && this.dropped === 0;
  }
}

const NOTHING: readonly never[] = Object.freeze([]);

/** Something that took time; `end` is null until it is over. */
export interface Timed {
  start: number;
  end: number | null;
}

export interface LogEvent {
  source: 'console' | 'pino' | 'winston';
  level: string;
  at: number;
  message: string;
  fields: Record<string, unknown> | null;
}

export interface CallEvent extends Timed {
  via: 'http' | 'fetch';
  method: string;
  url: string;
  status: number;
  /** When the response's headers arrived. */
  headersAt: number | null;
  bytes: number | null;
  error: string | null;
  loupe: { id: string; url: string } | null;
}

export interface QueryEvent extends Timed {
  system: string;
  text: string;
  params: unknown;
  rows: number | null;
  error: string | null;
  /** The captured call site; its frames are formatted only if the record is read. */
  site: CallSite | null;
  /**
   * Where the app asked a pool for the query, when the query itself starts later, in the pool's
   * callback, with no frame of the app's on the stack.
   */
  poolSite: CallSite | null;
}

export interface RenderEvent extends Timed {
  name: string;
  engine: string;
  context: Record<string, unknown>;
  error: string | null;
}

export interface SpanEvent extends Timed {
  kind: 'middleware' | 'handler' | 'span' | 'mark';
  name: string;
}

export interface ErrorEvent {
  source: 'handler' | 'uncaught';
  error: unknown;
  at: number;
}

/**
 * What the instrumentation saw during one recorded request. Created by the first
 * instrumentation panel that starts, read by all of them when the record is taken; the
 * channel subscribers write into it only when the request being handled has one.
 */
export class RequestTrace {
  readonly logs: Capped<LogEvent>;
  readonly calls: Capped<CallEvent>;
  readonly queries: Capped<QueryEvent>;
  readonly renders: Capped<RenderEvent>;
  readonly spans: Capped<SpanEvent>;
  readonly errors: Capped<ErrorEvent>;

  constructor(readonly settings: InstrumentationSettings) {
    const limit = settings.maxEntries;
    this.logs = new Capped(limit);
    this.calls = new Capped(limit);
    this.queries = new Capped(limit);
    this.renders = new Capped(limit);
    this.spans = new Capped(limit);
    this.errors = new Capped(limit);
  }
}

/** The trace of the request being handled, if it is recorded with instrumentation. */
export function currentTrace(): RequestTrace | undefined {
  return currentRequest()?.trace;
}

/** The request's trace, made by whichever instrumentation panel starts first. */
export function traceFor(ctx: RequestContext, settings: InstrumentationSettings): RequestTrace {
  return (ctx.trace ??= new RequestTrace(settings));
}

export const now = () => performance.now();

/** Milliseconds from the request's start, to the microsecond. */
export function offset(ctx: RequestContext, at: number): number {
  return Math.round((at - ctx.start) * 1000) / 1000;
}

export function duration(timed: Timed): number | null {
  return timed.end === null ? null : Math.round((timed.end - timed.start) * 1000) / 1000;
}
