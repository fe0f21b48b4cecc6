import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RequestStats, ResponseStats } from '../shared/panels.js';
import { PROTOCOL_VERSION } from '../shared/protocol.js';
import type { LoupeRecord, RecordState, RecordSummary } from '../shared/record.js';
import type { RequestContext, RequestCounters } from './context.js';
import { createIdSource } from './ids.js';
import type { ResolvedOptions } from './options.js';
import { PanelSkipped, type Panel, type ServerTimingEntry } from './panels/panel.js';
import { matchedRoute } from './route.js';
import { formatServerTiming } from './server-timing.js';
import { newestSummaries } from './stores/newest-summaries.js';
import type { RecordStore } from './stores/store.js';

/** What a panel's `start` left when it threw: its stats are skipped, the request goes on. */
class PanelFailure {
  constructor(readonly reason: string) {}
}

const EMPTY_RESPONSE: ResponseStats = {
  status: 0,
  statusMessage: '',
  headers: {},
  bytes: 0,
  contentType: null,
  encoding: null,
  streamed: false,
  headersSent: false,
};

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The lifecycle of a recorded request: panels start when it arrives, contribute to
 * `Server-Timing` when headers go out, and are turned into a record when it ends. Pending
 * records are saved at the start so that a streaming response's id is already readable.
 */
export function createRecorder(
  options: ResolvedOptions,
  store: RecordStore,
  panels: readonly Panel[],
  /** Told of each complete record once it is saved; must not throw or block. */
  onComplete: (record: LoupeRecord) => void = () => {},
) {
  const counters: RequestCounters = { started: 0, inFlight: 0 };
  const inFlight = new Map<string, RequestContext>();
  const completionWaiters = new Map<string, Set<() => void>>();
  const newId = createIdSource();
  const requestPanelIndex = panels.findIndex((panel) => panel.id === 'request');

  /**
   * Other processes reading this store see a request in flight here only through its saved
   * pending record; this process serves its own from `inFlight`, so a store of its own is
   * spared one save per request.
   */
  const othersReadStore = store.profileSink !== undefined;

  const saveQuietly = (record: LoupeRecord) => {
    try {
      const saved = store.save(record);
      if (saved instanceof Promise) saved.catch((error: unknown) => options.onError(error, 'store.save'));
    } catch (error) {
      options.onError(error, 'store.save');
    }
  };

  function panelStats(ctx: RequestContext, index: number, skipped: LoupeRecord['skipped']): unknown {
    const panel = panels[index]!;
    const state = ctx.panelState[index];
    if (state instanceof PanelFailure) {
      skipped.push({ panel: panel.id, reason: state.reason });
      return undefined;
    }
    try {
      return panel.stats(ctx, state);
    } catch (error) {
      skipped.push({ panel: panel.id, reason: reasonOf(error) });
      if (!(error instanceof PanelSkipped)) options.onError(error, `panel ${panel.id}`);
      return undefined;
    }
  }

  function snapshot(ctx: RequestContext, state: RecordState): LoupeRecord {
    const record: LoupeRecord = {
      id: ctx.id,
      version: PROTOCOL_VERSION,
      state,
      startedAt: ctx.startedAt,
      durationMs: ctx.endedAt === null ? null : Math.round((ctx.endedAt - ctx.start) * 1000) / 1000,
      aborted: ctx.aborted,
      request: undefined as unknown as RequestStats,
      response: EMPTY_RESPONSE,
      panels: {},
      skipped: [],
    };
    for (let index = 0; index < panels.length; index++) {
      const stats = panelStats(ctx, index, record.skipped);
      if (stats === undefined) continue;
      const id = panels[index]!.id;
      if (id === 'request') record.request = stats as RequestStats;
      else if (id === 'response') record.response = stats as ResponseStats;
      else (record.panels as Record<string, unknown>)[id] = stats;
    }
    record.request ??= fallbackRequest(ctx.req);
    return record;
  }

  /** The pending record holds only the request. */
  function savePending(ctx: RequestContext): void {
    const skipped: LoupeRecord['skipped'] = [];
    const request =
      requestPanelIndex === -1 ? undefined : (panelStats(ctx, requestPanelIndex, skipped) as RequestStats | undefined);
    saveQuietly({
      id: ctx.id,
      version: PROTOCOL_VERSION,
      state: 'pending',
      startedAt: ctx.startedAt,
      durationMs: null,
      aborted: false,
      request: request ?? fallbackRequest(ctx.req),
      response: EMPTY_RESPONSE,
      panels: {},
      skipped,
    });
  }

  function begin(req: IncomingMessage, res: ServerResponse, profiled: boolean): RequestContext {
    counters.started++;
    const ctx: RequestContext = {
      id: newId(),
      req,
      res,
      startedAt: Date.now(),
      start: performance.now(),
      headersAt: null,
      endedAt: null,
      route: null,
      bytes: 0,
      aborted: false,
      profiled,
      counters,
      inFlightAtStart: counters.inFlight,
      startSerial: counters.started,
      endSerial: null,
      panelState: new Array(panels.length),
    };
    counters.inFlight++;
    for (let index = 0; index < panels.length; index++) {
      const panel = panels[index]!;
      try {
        ctx.panelState[index] = panel.start?.(ctx);
      } catch (error) {
        ctx.panelState[index] = new PanelFailure(reasonOf(error));
        options.onError(error, `panel ${panel.id}`);
      }
    }
    inFlight.set(ctx.id, ctx);
    if (othersReadStore) savePending(ctx);
    return ctx;
  }

  /** Runs as the headers are written: the last moment to add headers and see the route. */
  function headersWritten(ctx: RequestContext): string {
    ctx.headersAt = performance.now();
    ctx.route ??= matchedRoute(ctx.req);
    const entries: ServerTimingEntry[] = [
      { name: 'total', durationMs: ctx.headersAt - ctx.start, description: 'Loupe: time to headers' },
    ];
    for (let index = 0; index < panels.length; index++) {
      const panel = panels[index]!;
      const state = ctx.panelState[index];
      if (panel.serverTiming === undefined || state instanceof PanelFailure) continue;
      try {
        entries.push(...panel.serverTiming(ctx, state));
      } catch (error) {
        options.onError(error, `panel ${panel.id} server timing`);
      }
    }
    return formatServerTiming(entries);
  }

  function finish(ctx: RequestContext, aborted: boolean): void {
    if (ctx.endedAt !== null) return;
    ctx.endedAt = performance.now();
    ctx.endSerial = counters.started;
    ctx.aborted = aborted;
    ctx.route ??= matchedRoute(ctx.req);
    counters.inFlight--;
    inFlight.delete(ctx.id);
    const record = snapshot(ctx, 'complete');
    saveQuietly(record);
    onComplete(record);
    const waiters = completionWaiters.get(ctx.id);
    if (waiters !== undefined) {
      completionWaiters.delete(ctx.id);
      for (const wake of waiters) wake();
    }
  }

  /** The store's newest summaries with this process's requests in flight among them. */
  async function list(limit: number): Promise<RecordSummary[]> {
    const stored = await store.list(limit);
    if (inFlight.size === 0) return stored;
    const live = [...inFlight.values()].map((ctx) => snapshot(ctx, 'pending'));
    return newestSummaries(live, stored.filter((summary) => !inFlight.has(summary.id)), limit);
  }

  /** The freshest view of a record: live for requests in flight here, else the store's. */
  async function read(id: string): Promise<LoupeRecord | undefined> {
    const live = inFlight.get(id);
    if (live !== undefined) return snapshot(live, 'pending');
    return store.get(id);
  }

  /**
   * Resolves when the record completes here, or after `ms`. Records completed by another
   * process sharing the store are caught by the caller re-reading the store afterwards.
   */
  function waitForCompletion(id: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let waiters = completionWaiters.get(id);
      if (waiters === undefined) completionWaiters.set(id, (waiters = new Set()));
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        waiters.delete(done);
        if (waiters.size === 0 && completionWaiters.get(id) === waiters) completionWaiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      waiters.add(done);
    });
  }

  function close(): void {
    for (const panel of panels) panel.close?.();
  }

  return { begin, headersWritten, finish, read, list, waitForCompletion, isInFlight: (id: string) => inFlight.has(id), close };
}

export type Recorder = ReturnType<typeof createRecorder>;

/** Used only when the request panel failed: the record still says what was asked. */
function fallbackRequest(req: IncomingMessage): RequestStats {
  return {
    method: req.method ?? 'GET',
    url: (req.url ?? '/').split('?')[0]!,
    path: (req.url ?? '/').split('?')[0]!,
    route: null,
    httpVersion: req.httpVersion,
    headers: {},
    query: {},
    cookies: {},
    bodyBytes: null,
    clientIp: null,
  };
}
