import { request as httpRequest, type IncomingHttpHeaders, type RequestListener, type Server, createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The Node server itself, e.g. for `upgrade` listeners. */
  server: Server;
  close(): Promise<void>;
}

/** Starts a request listener (an Express app or a plain handler) on a free loopback port. */
export async function startServer(listener: RequestListener): Promise<RunningServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body exactly as it came off the wire: no decompression, no decoding. */
  body: Buffer;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A plain HTTP request that keeps the body's bytes as sent (fetch would gunzip them). */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GETs JSON from the Loupe API (or anything else) and parses it. */
export async function getJson<T = unknown>(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; json: T }> {
  const response = await rawRequest(url, { headers });
  return { status: response.status, headers: response.headers, json: JSON.parse(response.body.toString('utf8')) as T };
}

export interface WireAnswer {
  /** The status code, or null when the server closed the connection without answering. */
  status: number | null;
  /** Header names lower-cased; the last value wins. */
  headers: Record<string, string>;
  body: Buffer;
  /** Everything that came back, e.g. several pipelined answers. */
  raw: Buffer;
}

/**
 * Writes `bytes` to the server as they are, malformed or not, and reads until it closes the
 * connection (send `Connection: close`) or `timeoutMs` pass: then the answer is what came.
 */
export function sendRaw(port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may cut a malformed request short; what it wrote before still counts.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks))));
    socket.end(bytes);
  });
}

function parseAnswer(raw: Buffer): WireAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split === -1 ? raw : raw.subarray(0, split)).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = split === -1 ? Buffer.alloc(0) : raw.subarray(split + 4);
  return {
    status: status === null ? null : Number(status[1]),
    headers,
    body: headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body,
    raw,
  };
}

/** The payload of a chunked body, as far as it is well-formed. */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = lineEnd === -1 ? NaN : parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
