import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROFILE_SORTS } from '../../shared/profile.js';
import { API_LIMITS, isRecordId } from '../../shared/protocol.js';
import { isCrossSiteWrite } from '../access.js';
import type { RequestProfiler } from '../profiler/profiler.js';
import type { Recorder } from '../recorder.js';
import type { RequestProfiles } from '../request-profiles.js';
import type { RecordStore } from '../stores/store.js';
import { inTime, StoreTimeout } from './deadline.js';
import { choiceParam, intParam } from './params.js';
import { sendError, sendJson } from './respond.js';

interface ApiDeps {
  recorder: Recorder;
  store: RecordStore;
  profiler: RequestProfiler | null;
  profiles: RequestProfiles;
  onError: (error: unknown, where: string) => void;
}

const PROFILE_ROWS = { min: 1, max: API_LIMITS.profileRowsMax, fallback: API_LIMITS.profileRowsDefault };

const REQUESTS = /^\/requests\/?$/;
const REQUEST = /^\/requests\/([^/]*)\/?$/;
const REQUEST_PROFILE = /^\/requests\/([^/]*)\/profile\/?$/;
const PROFILE = /^\/profile\/?$/;
const PROFILE_TREE = /^\/profile\/tree\/?$/;
const PROFILE_CPUPROFILE = /^\/profile\.cpuprofile$/;

type Send = (res: ServerResponse, params: URLSearchParams) => Promise<void> | void;

/**
 * The JSON API below the base. `path` is the part after the base, `search` the query
 * string. Access has been checked by the caller.
 */
export function createApiHandler({ recorder, store, profiler, profiles, onError }: ApiDeps) {
  /** A record by id from the path, after validating it; answers the errors itself. */
  async function recordFor(res: ServerResponse, id: string, params: URLSearchParams) {
    if (!isRecordId(id)) {
      sendError(res, 400, 'invalid_id', 'A record id is 22 characters of base64url');
      return undefined;
    }
    const wait = intParam(params, 'wait', { min: 0, max: API_LIMITS.waitMaxMs, fallback: 0 });
    if (!wait.ok) {
      sendError(res, 400, 'invalid_wait', wait.message);
      return undefined;
    }
    let record = await inTime(recorder.read(id), 'store.get');
    if (record?.state === 'pending' && wait.value > 0) {
      const gone = new AbortController();
      const onClose = () => gone.abort();
      res.once('close', onClose);
      const deadline = Date.now() + wait.value;
      // Completion in this process wakes the wait at once; polling the store catches
      // completion by another process sharing it.
      while (record?.state === 'pending' && !gone.signal.aborted && Date.now() < deadline) {
        const slice = recorder.isInFlight(id) ? deadline - Date.now() : Math.min(250, deadline - Date.now());
        await recorder.waitForCompletion(id, slice, gone.signal);
        record = await inTime(recorder.read(id), 'store.get');
      }
      res.off('close', onClose);
      if (gone.signal.aborted) return undefined;
    }
    if (record === undefined) {
      sendError(res, 404, 'not_found', `No record ${id}: unknown, or evicted by the store's bounds`);
      return undefined;
    }
    return record;
  }

  const getRecord = (id: string): Send => async (res, params) => {
    const record = await recordFor(res, id, params);
    if (record !== undefined) sendJson(res, 200, (await inTime(profiles.resolve(record), 'store.attachProfile')).record);
  };

  const getRequestProfile = (id: string): Send => async (res, params) => {
    const record = await recordFor(res, id, params);
    if (record === undefined) return;
    const answer = await inTime(profiles.cpuProfileOf(record), 'store.getProfile');
    if (answer.status === 'ready') sendJson(res, 200, answer.cpuProfile);
    else if (answer.status === 'not_profiled') sendError(res, 404, 'not_profiled', 'This request was not profiled');
    else if (answer.status === 'pending') sendError(res, 409, 'pending', 'The request is still running; ask again with ?wait=');
    else sendError(res, 410, 'profile_expired', 'The samples of this request are gone: read its record sooner');
  };

  const listRecords: Send = async (res, params) => {
    const limit = intParam(params, 'limit', { min: 1, max: API_LIMITS.listMax, fallback: API_LIMITS.listDefault });
    if (!limit.ok) return sendError(res, 400, 'invalid_limit', limit.message);
    sendJson(res, 200, { requests: await inTime(recorder.list(limit.value), 'store.list') });
  };

  /** Accumulated-profile answers need the profiler and maybe a route. */
  const withProfile =
    (
      answer: (profiler: RequestProfiler, route: string | null, res: ServerResponse, params: URLSearchParams) => void | Promise<void>,
    ): Send =>
    (res, params) => {
      if (profiler === null) return sendError(res, 404, 'profiling_off', 'Profiling is turned off (profile: false)');
      const routes = params.getAll('route');
      if (routes.length > 1) return sendError(res, 400, 'invalid_route', 'route may be given once');
      return answer(profiler, routes[0] ?? null, res, params);
    };

  const getProfile = withProfile(async (profiler, route, res, params) => {
    const sort = choiceParam(params, 'sort', PROFILE_SORTS, 'cumulative');
    if (!sort.ok) return sendError(res, 400, 'invalid_sort', sort.message);
    const limit = intParam(params, 'limit', PROFILE_ROWS);
    if (!limit.ok) return sendError(res, 400, 'invalid_limit', limit.message);
    const json = (await profiler.current()).toJSON({ route, sort: sort.value, limit: limit.value });
    if (json === null) return sendError(res, 404, 'unknown_route', `No samples for route ${route}`);
    sendJson(res, 200, json);
  });

  const getProfileTree = withProfile(async (profiler, route, res) => {
    const tree = (await profiler.current()).tree(route);
    if (tree === null) return sendError(res, 404, 'unknown_route', `No samples for route ${route}`);
    sendJson(res, 200, tree);
  });

  const getProfileCpuprofile = withProfile(async (profiler, route, res) => {
    const cpuProfile = (await profiler.current()).cpuProfile(route);
    if (cpuProfile === null) return sendError(res, 404, 'unknown_route', `No samples for route ${route}`);
    res.setHeader('Content-Disposition', 'attachment; filename="loupe.cpuprofile"');
    sendJson(res, 200, cpuProfile);
  });

  const resetProfile = withProfile(async (profiler, _route, res) => {
    await profiler.reset();
    sendJson(res, 200, { reset: true });
  });

  /** The handlers of a path by method, or null for an unknown path. */
  function routesOf(path: string): Record<string, Send> | null {
    if (REQUESTS.test(path)) return { GET: listRecords };
    let match = REQUEST_PROFILE.exec(path);
    if (match !== null) return { GET: getRequestProfile(decodeSegment(match[1]!)) };
    match = REQUEST.exec(path);
    if (match !== null) return { GET: getRecord(decodeSegment(match[1]!)) };
    if (PROFILE.test(path)) return { GET: getProfile, DELETE: resetProfile };
    if (PROFILE_TREE.test(path)) return { GET: getProfileTree };
    if (PROFILE_CPUPROFILE.test(path)) return { GET: getProfileCpuprofile };
    return null;
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, search: string) {
    const handlers = routesOf(path);
    if (handlers === null) return sendError(res, 404, 'unknown_route', `No Loupe API route ${path || '/'}`);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const handler = handlers[method];
    if (handler === undefined) {
      const allow = Object.keys(handlers).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
      res.setHeader('Allow', allow);
      return sendError(res, 405, 'method_not_allowed', `Use ${allow}`);
    }
    if (isCrossSiteWrite(req)) return sendError(res, 403, 'cross_site', 'Another site may not change Loupe state');
    await handler(res, new URLSearchParams(search));
  }

  return async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, search: string) {
    try {
      await route(req, res, path, search);
    } catch (error) {
      onError(error, 'API request');
      if (res.headersSent) res.destroy();
      else if (error instanceof StoreTimeout) sendError(res, 503, 'store_timeout', error.message);
      else sendError(res, 500, 'internal', 'Loupe could not answer; see the server log');
    }
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
