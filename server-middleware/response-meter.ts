import type { ServerResponse } from 'node:http';

/** What a metered response reports to; one object per Loupe instance, not per request. */
export interface ResponseMeterHooks<Subject> {
  /** Runs just before the status line and headers are written; may still set headers. */
  onHeaders(subject: Subject): void;
  /** Body bytes passed to `write`/`end`. */
  onBody(subject: Subject, bytes: number): void;
  onError(error: unknown): void;
}

type Method = (...args: unknown[]) => unknown;

interface Meter {
  subject: unknown;
  hooks: ResponseMeterHooks<unknown>;
  headersSeen: boolean;
  writeHead: Method;
  write: Method;
  end: Method;
}

const METER = Symbol('loupe.meter');

interface MeteredResponse extends ServerResponse {
  [METER]: Meter;
}

function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

function headersOnce(meter: Meter): void {
  if (meter.headersSeen) return;
  meter.headersSeen = true;
  try {
    meter.hooks.onHeaders(meter.subject);
  } catch (error) {
    meter.hooks.onError(error);
  }
}

function count(meter: Meter, chunk: unknown, encoding: unknown): void {
  try {
    meter.hooks.onBody(meter.subject, chunkBytes(chunk, encoding));
  } catch (error) {
    meter.hooks.onError(error);
  }
}

// The replacements are shared by every response; each finds its own state on the response.
function meteredWriteHead(this: MeteredResponse) {
  const meter = this[METER];
  headersOnce(meter);
  return Reflect.apply(meter.writeHead, this, arguments);
}

function meteredWrite(this: MeteredResponse, chunk: unknown, encoding: unknown) {
  const meter = this[METER];
  // Node writes implicit headers through writeHead for ServerResponse, so headers are seen
  // there; counting comes after, so it reflects what reached the socket's side.
  const result = Reflect.apply(meter.write, this, arguments);
  count(meter, chunk, encoding);
  return result;
}

function meteredEnd(this: MeteredResponse, chunk: unknown, encoding: unknown) {
  const meter = this[METER];
  if (typeof chunk !== 'function' && chunk !== undefined && chunk !== null) count(meter, chunk, encoding);
  return Reflect.apply(meter.end, this, arguments);
}

/**
 * Node has no event for "headers are about to be written" nor a count of body bytes, so
 * these three methods are replaced on this one response object (as `on-headers` and
 * `compression` do). Loupe is mounted first, so middleware mounted later, such as
 * `compression`, wraps these wrappers: the bytes counted are the encoded ones that go out.
 * A hook that throws is contained: the app's call always reaches Node unchanged.
 */
export function meterResponse<Subject>(res: ServerResponse, subject: Subject, hooks: ResponseMeterHooks<Subject>): void {
  const metered = res as MeteredResponse;
  metered[METER] = {
    subject,
    hooks: hooks as ResponseMeterHooks<unknown>,
    headersSeen: false,
    writeHead: res.writeHead as Method,
    write: res.write as Method,
    end: res.end as Method,
  };
  res.writeHead = meteredWriteHead as ServerResponse['writeHead'];
  res.write = meteredWrite as ServerResponse['write'];
  res.end = meteredEnd as ServerResponse['end'];
}
