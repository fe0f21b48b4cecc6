import type { ServerResponse } from 'node:http';

export interface ResponseMeterHooks {
  /** Runs just before the status line and headers are written; may still set headers. */
  onHeaders(): void;
  /** Body bytes passed to `write`/`end`. */
  onBody(bytes: number): void;
}

function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

/**
 * Node has no event for "headers are about to be written" nor a count of body bytes, so
 * these three methods are wrapped on this one response object (as `on-headers` and
 * `compression` do). Loupe is mounted first, so middleware mounted later, such as
 * `compression`, wraps these wrappers: the bytes counted are the encoded ones that go out.
 * A hook that throws is contained: the app's call always reaches Node unchanged.
 */
export function meterResponse(
  res: ServerResponse,
  hooks: ResponseMeterHooks,
  onHookError: (error: unknown) => void,
): void {
  const writeHead = res.writeHead;
  const write = res.write;
  const end = res.end;
  let headersSeen = false;

  const headersOnce = () => {
    if (headersSeen) return;
    headersSeen = true;
    try {
      hooks.onHeaders();
    } catch (error) {
      onHookError(error);
    }
  };
  const count = (chunk: unknown, encoding: unknown) => {
    try {
      hooks.onBody(chunkBytes(chunk, encoding));
    } catch (error) {
      onHookError(error);
    }
  };

  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    headersOnce();
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];

  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    // Node writes implicit headers through writeHead for ServerResponse, so headers are
    // seen there; counting comes after, so it reflects what reached the socket's side.
    const result = (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    count(chunk, rest[0]);
    return result;
  } as ServerResponse['write'];

  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function' && chunk !== undefined && chunk !== null) count(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}
