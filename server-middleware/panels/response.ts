import type { ResponseStats } from '../../shared/panels.js';
import type { RequestContext } from '../context.js';
import type { ResolvedOptions } from '../options.js';
import { redactHeaders } from '../redact.js';
import type { Panel } from './panel.js';

function headerText(value: number | string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Node drops the body of these responses whatever the app writes. */
function bodyAllowed(ctx: RequestContext): boolean {
  const status = ctx.res.statusCode;
  return ctx.req.method !== 'HEAD' && status !== 204 && status !== 304 && status >= 200;
}

/** Status, headers, content type, encoding, bytes sent and whether it was streamed. */
export function responsePanel(options: ResolvedOptions): Panel<ResponseStats> {
  return {
    id: 'response',
    stats(ctx) {
      const res = ctx.res;
      const sent = res.headersSent;
      const hasBody = sent && bodyAllowed(ctx);
      return {
        status: sent ? res.statusCode : 0,
        statusMessage: sent ? res.statusMessage : '',
        headers: sent ? redactHeaders(res.getHeaders(), options.redactHeaders, options.limits) : {},
        bytes: hasBody ? ctx.bytes : 0,
        contentType: headerText(res.getHeader('content-type')),
        encoding: headerText(res.getHeader('content-encoding')),
        streamed: hasBody && res.getHeader('content-length') === undefined,
        headersSent: sent,
      };
    },
  };
}
