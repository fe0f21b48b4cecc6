import type { IncomingMessage } from 'node:http';
import type { CapturedBody } from '../shared/panels.js';
import { REDACTED } from './options.js';
import { isSecretName, redactQuery } from './redact.js';

interface Capture {
  chunks: Buffer[];
  kept: number;
  total: number;
}

const captures = new WeakMap<IncomingMessage, Capture>();

/**
 * Copies the first `maxBytes` of a request body as Node's HTTP parser pushes it into the
 * request stream. Wrapping `push` (rather than listening for `data`) leaves the stream's
 * flow to the app: a body nobody reads is not read by Loupe either.
 */
export function startBodyCapture(req: IncomingMessage, maxBytes: number, onError: (error: unknown) => void): void {
  const capture: Capture = { chunks: [], kept: 0, total: 0 };
  captures.set(req, capture);
  const push = req.push;
  req.push = function (this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
    try {
      if (chunk instanceof Uint8Array || typeof chunk === 'string') {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
        capture.total += bytes.byteLength;
        if (capture.kept < maxBytes) {
          // A copy: a slice would keep the parser's whole buffer alive.
          const part = Buffer.from(bytes.subarray(0, maxBytes - capture.kept));
          capture.chunks.push(part);
          capture.kept += part.byteLength;
        }
      }
    } catch (error) {
      onError(error);
    }
    return push.call(this, chunk, encoding);
  };
}

/** The body captured so far, as text with secrets redacted; null when none was captured. */
export function capturedBody(req: IncomingMessage, secretNames: readonly string[]): CapturedBody | null {
  const capture = captures.get(req);
  if (capture === undefined || capture.total === 0) return null;
  const contentType = req.headers['content-type'] ?? null;
  const truncated = capture.total > capture.kept;
  const encoding = req.headers['content-encoding'];
  const textual = (encoding === undefined || encoding === 'identity') && isTextual(contentType);
  return {
    contentType,
    bytes: capture.total,
    truncated,
    text: textual ? redactBody(Buffer.concat(capture.chunks).toString('utf8'), contentType, secretNames) : null,
  };
}

function isTextual(contentType: string | null): boolean {
  if (contentType === null) return true;
  const type = contentType.toLowerCase();
  // Multipart bodies carry files and fields in one stream; they are counted, not kept.
  return /^(text\/|application\/(x-www-form-urlencoded|json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|graphql))/.test(type);
}

/** The body with the values of secret-looking fields replaced, whatever its format. */
export function redactBody(text: string, contentType: string | null, secretNames: readonly string[]): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return redactQuery(text, secretNames).search.slice(1);
  if (/json/.test(type)) {
    try {
      return JSON.stringify(redactJson(JSON.parse(text) as unknown, secretNames));
    } catch {
      // Cut short or malformed: the patterns below still find `"name": value` pairs.
    }
  }
  return redactPairs(text, secretNames);
}

function redactJson(value: unknown, secretNames: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secretNames));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    copy[name] = isSecretName(name, secretNames) ? REDACTED : redactJson(field, secretNames);
  }
  return copy;
}

/** `"name": value` as in JSON, and `name=value` as in forms and query strings. */
const JSON_PAIR = /"((?:[^"\\]|\\.){1,200})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/g;
const FORM_PAIR = /([\w.[\]-]{1,200})=([^&\s]*)/g;

function redactPairs(text: string, secretNames: readonly string[]): string {
  return text
    .replace(JSON_PAIR, (pair, name: string, colon: string) =>
      isSecretName(name, secretNames) ? `"${name}"${colon}"${REDACTED}"` : pair,
    )
    .replace(FORM_PAIR, (pair, name: string) => (isSecretName(name, secretNames) ? `${name}=${REDACTED}` : pair));
}
