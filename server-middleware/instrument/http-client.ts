import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { API_ROUTES, HEADERS } from '../../shared/protocol.js';
import { sharedHook } from './shared-hook.js';
import { currentTrace, now, type CallEvent } from './trace.js';

/** Calls in flight, by the request object each channel names them by. */
const calls = new WeakMap<object, CallEvent>();

function begin(key: object, via: CallEvent['via'], method: string, url: string): void {
  const trace = currentTrace();
  if (trace === undefined) return;
  const call = trace.calls.push({
    via,
    method,
    url,
    status: 0,
    start: now(),
    end: null,
    headersAt: null,
    bytes: null,
    error: null,
    loupe: null,
  });
  if (call !== undefined) calls.set(key, call);
}

function responded(call: CallEvent, status: number, header: (name: string) => string | undefined): void {
  call.status = status;
  call.headersAt = now();
  const length = Number(header('content-length'));
  call.bytes = Number.isSafeInteger(length) && length >= 0 ? length : null;
  const id = header(HEADERS.id.toLowerCase());
  const api = header(HEADERS.api.toLowerCase());
  if (id !== undefined && api !== undefined) {
    call.loupe = { id, url: new URL(api + API_ROUTES.request(encodeURIComponent(id)), call.url).href };
  }
}

function failed(key: object, error: unknown): void {
  const call = calls.get(key);
  if (call === undefined) return;
  call.error = error instanceof Error ? error.message : String(error);
  call.end ??= now();
}

function ended(key: object): void {
  const call = calls.get(key);
  if (call !== undefined) call.end ??= now();
}

const httpHandlers = {
  'http.client.request.start'(message: unknown) {
    const { request } = message as { request: ClientRequest };
    if (currentTrace() === undefined) return;
    const host = request.getHeader('host') ?? request.host;
    begin(request, 'http', request.method, `${request.protocol}//${String(host)}${request.path}`);
  },
  // Published when the response's headers arrive; the body's end comes later, if it is read.
  'http.client.response.finish'(message: unknown) {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const call = calls.get(request);
    if (call === undefined) return;
    responded(call, response.statusCode ?? 0, (name) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    });
    // Listening for the end does not start the body flowing: the app still reads it its way.
    response.once('end', () => ended(request));
  },
  'http.client.request.error'(message: unknown) {
    const { request, error } = message as { request: ClientRequest; error: unknown };
    failed(request, error);
  },
};

interface UndiciRequest {
  method: string;
  origin: string;
  path: string;
}

/** undici's raw headers: alternating names and values, as buffers or strings. */
function undiciHeader(raw: Array<Buffer | string>, name: string): string | undefined {
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (String(raw[index]).toLowerCase() === name) return String(raw[index + 1]);
  }
  return undefined;
}

const undiciHandlers = {
  'undici:request:create'(message: unknown) {
    const { request } = message as { request: UndiciRequest };
    if (currentTrace() === undefined) return;
    begin(request, 'fetch', request.method, `${request.origin}${request.path}`);
  },
  'undici:request:headers'(message: unknown) {
    const { request, response } = message as { request: object; response: { statusCode: number; headers: Array<Buffer | string> } };
    const call = calls.get(request);
    if (call !== undefined) responded(call, response.statusCode, (name) => undiciHeader(response.headers, name));
  },
  'undici:request:trailers'(message: unknown) {
    ended((message as { request: object }).request);
  },
  'undici:request:error'(message: unknown) {
    const { request, error } = message as { request: object; error: unknown };
    failed(request, error);
  },
};

/**
 * Outbound calls through `http`/`https` and the global `fetch` (undici), from the channels
 * both publish. The call is attributed to the request whose async context starts it.
 */
export const hookHttpClient = sharedHook(() => {
  const handlers = Object.entries({ ...httpHandlers, ...undiciHandlers });
  for (const [channel, handler] of handlers) subscribe(channel, handler);
  return () => {
    for (const [channel, handler] of handlers) unsubscribe(channel, handler);
  };
});
