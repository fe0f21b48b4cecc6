import { parse as parseCookies } from 'cookie';
import type { IncomingMessage } from 'node:http';
import type { RequestStats } from '../../shared/panels.js';
import { capturedBody, startBodyCapture } from '../body-capture.js';
import type { ResolvedOptions } from '../options.js';
import { redactHeaders, redactQuery, redactRecordValues } from '../redact.js';
import type { Panel } from './panel.js';

/** Express's additions to the request, read when present. */
interface FrameworkRequest extends IncomingMessage {
  originalUrl?: string;
  ip?: string;
}

function contentLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  const bytes = Number(header);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
}

/** Method, URL, matched route, headers, query, cookies, body size and client address. */
export function requestPanel(options: ResolvedOptions): Panel<RequestStats, RequestStats> {
  return {
    id: 'request',
    // Everything but the route is known on arrival; taking it then spares a second copy.
    start(ctx) {
      const req = ctx.req as FrameworkRequest;
      const rawUrl = req.originalUrl ?? req.url ?? '/';
      const queryAt = rawUrl.indexOf('?');
      const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
      const query = redactQuery(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1), options.redactNames);
      const cookieHeader = req.headers.cookie;
      if (options.captureBodies) {
        startBodyCapture(req, options.limits.maxBodyBytes, (error) => options.onError(error, 'capturing a request body'));
      }
      return {
        method: req.method ?? 'GET',
        url: path + query.search,
        path,
        route: null,
        httpVersion: req.httpVersion,
        headers: redactHeaders(req.headers, options.redactHeaders, options.limits),
        query: query.values,
        cookies: cookieHeader
          ? redactRecordValues(parseCookies(cookieHeader) as Record<string, string>, options.redactNames)
          : {},
        bodyBytes: contentLength(req),
        clientIp: req.ip ?? req.socket.remoteAddress ?? null,
      };
    },
    stats(ctx, state) {
      if (options.captureBodies) return { ...state, route: ctx.route, body: capturedBody(ctx.req, options.redactNames) };
      return { ...state, route: ctx.route };
    },
  };
}
