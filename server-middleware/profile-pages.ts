import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PROFILE_SORTS, type ProfileSort } from '../shared/profile.js';
import { API_LIMITS, HEADERS } from '../shared/protocol.js';
import { sendText } from './api/respond.js';
import { overlappingRequests, type RequestContext } from './context.js';
import { toProfileClock } from './profiler/clock.js';
import type { RequestProfiler } from './profiler/profiler.js';
import { accumulatedText, statsTable } from './profiler/stats-text.js';

const ROWS = API_LIMITS.profileRowsDefault;

/** `GET /profile/`: the accumulated statistics as text (`?route=`, `?sort=`, `?limit=`). */
export async function sendAccumulatedText(res: ServerResponse, profiler: RequestProfiler, search: string): Promise<void> {
  const params = new URLSearchParams(search);
  const sortParam = params.get('sort') as ProfileSort | null;
  // A page for people: a bad parameter falls back to the default instead of an error.
  const sort = sortParam !== null && PROFILE_SORTS.includes(sortParam) ? sortParam : 'cumulative';
  const limit = Math.min(Math.max(Number(params.get('limit')) || ROWS, 1), API_LIMITS.profileRowsMax);
  const profile = (await profiler.current()).toJSON({ route: params.get('route'), sort, limit });
  sendText(res, 200, accumulatedText(profile));
}

/** True when the query string has a `profile` parameter (`?profile`, `&profile=1`, ...). */
export function asksForProfile(url: string): boolean {
  const queryAt = url.indexOf('?');
  if (queryAt === -1 || !url.includes('profile', queryAt)) return false;
  return new URLSearchParams(url.slice(queryAt + 1)).has('profile');
}

/**
 * The seed's `?profile`: the app handles the request as usual, but what it writes is dropped;
 * when it ends the response, the request's own statistics are sent instead, as text.
 */
export function replaceWithProfile(ctx: RequestContext, profiler: RequestProfiler): void {
  const res = ctx.res;
  const { writeHead, write, end } = res;
  let done = false;
  res.writeHead = function (this: ServerResponse) {
    return this;
  } as ServerResponse['writeHead'];
  res.write = function (_chunk: unknown, ...rest: unknown[]) {
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (done) return this;
    done = true;
    res.writeHead = writeHead;
    res.write = write;
    res.end = end;
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) res.once('finish', callback);
    for (const name of res.getHeaderNames()) {
      if (name !== HEADERS.id.toLowerCase() && name !== HEADERS.api.toLowerCase()) res.removeHeader(name);
    }
    sendText(res, 200, requestText(ctx, profiler));
    return this;
  } as ServerResponse['end'];
}

function requestText(ctx: RequestContext, profiler: RequestProfiler): string {
  const startUs = toProfileClock(ctx.start);
  const endUs = toProfileClock(performance.now());
  profiler.flush();
  const cut = profiler.cut(startUs, endUs);
  const title = `${ctx.req.method ?? 'GET'} ${ctx.req.url ?? '/'}`;
  if (typeof cut === 'string') return `${title}: no samples (${cut}).\n`;
  const totalMs = cut.sampledMs;
  return [
    `${title}: ${cut.samples} samples, ${totalMs.toFixed(3)} ms sampled over ${((endUs - startUs) / 1000).toFixed(3)} ms, ` +
      `${overlappingRequests(ctx)} other requests overlapping. Record ${ctx.id}.`,
    '',
    statsTable(cut.functions.sorted('cumulative', ROWS), totalMs, cut.functions.size, 'cumulative'),
    '',
  ].join('\n');
}
