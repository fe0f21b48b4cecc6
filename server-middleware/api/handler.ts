import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_LIMITS, isRecordId } from '../../shared/protocol.js';
import type { RecordStore } from '../stores/store.js';
import type { Recorder } from '../recorder.js';
import { intParam } from './params.js';
import { sendError, sendJson } from './respond.js';

interface ApiDeps {
  recorder: Recorder;
  store: RecordStore;
  onError: (error: unknown, where: string) => void;
}

const REQUESTS = /^\/requests\/?$/;
const REQUEST = /^\/requests\/([^/]*)\/?$/;

/**
 * The JSON API below the base. `path` is the part after the base, `search` the query
 * string. Access has been checked by the caller.
 */
export function createApiHandler({ recorder, store, onError }: ApiDeps) {
  async function getRecord(req: IncomingMessage, res: ServerResponse, id: string, params: URLSearchParams) {
    if (!isRecordId(id)) {
      sendError(res, 400, 'invalid_id', 'A record id is 22 characters of base64url');
      return;
    }
    const wait = intParam(params, 'wait', { min: 0, max: API_LIMITS.waitMaxMs, fallback: 0 });
    if (!wait.ok) {
      sendError(res, 400, 'invalid_wait', wait.message);
      return;
    }
    let record = await recorder.read(id);
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
        record = await recorder.read(id);
      }
      res.off('close', onClose);
      if (gone.signal.aborted) return;
    }
    if (record === undefined) {
      sendError(res, 404, 'not_found', `No record ${id}: unknown, or evicted by the store's bounds`);
      return;
    }
    sendJson(res, 200, record);
  }

  async function listRecords(res: ServerResponse, params: URLSearchParams) {
    const limit = intParam(params, 'limit', { min: 1, max: API_LIMITS.listMax, fallback: API_LIMITS.listDefault });
    if (!limit.ok) {
      sendError(res, 400, 'invalid_limit', limit.message);
      return;
    }
    sendJson(res, 200, { requests: await store.list(limit.value) });
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, search: string) {
    const params = new URLSearchParams(search);
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (REQUESTS.test(path)) {
      if (!isRead) return methodNotAllowed(res, 'GET, HEAD');
      return listRecords(res, params);
    }
    const match = REQUEST.exec(path);
    if (match !== null) {
      if (!isRead) return methodNotAllowed(res, 'GET, HEAD');
      return getRecord(req, res, decodeSegment(match[1]!), params);
    }
    sendError(res, 404, 'unknown_route', `No Loupe API route ${path || '/'}`);
  }

  return async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, search: string) {
    try {
      await route(req, res, path, search);
    } catch (error) {
      onError(error, 'API request');
      if (!res.headersSent) sendError(res, 500, 'internal', 'Loupe could not answer; see the server log');
      else res.destroy();
    }
  };
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendError(res, 405, 'method_not_allowed', `Use ${allow}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
