import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';
import { HEADERS } from '../shared/protocol.js';
import type { ResolvedOptions } from './options.js';

const KEY_HEADER = HEADERS.key.toLowerCase();

/** Digests make the comparison constant-time whatever the lengths of the two keys. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Checks a request's `X-Loupe-Key` against the configured keys in constant time. */
export function createKeyCheck(keys: readonly string[]): (req: IncomingMessage) => boolean {
  const digests = keys.map(digest);
  return (req) => {
    const offered = req.headers[KEY_HEADER];
    if (typeof offered !== 'string' || offered === '' || digests.length === 0) return false;
    const offeredDigest = digest(offered);
    let match = false;
    // Compare against every key so the time taken does not tell which one matched.
    for (const candidate of digests) match = timingSafeEqual(candidate, offeredDigest) || match;
    return match;
  };
}

/** Whether the connecting client (not a forwarded address) may use the API in development. */
export function createClientCheck(allow: ResolvedOptions['allow']): (req: IncomingMessage) => boolean {
  const trusts = typeof allow === 'function' ? allow : proxyAddr.compile(allow);
  return (req) => {
    const address = req.socket.remoteAddress;
    return address !== undefined && trusts(address, 0);
  };
}

/** The host name of a `Host` header, lower-cased, without port or IPv6 brackets; null when malformed. */
export function hostName(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const lower = header.toLowerCase();
  if (lower.startsWith('[')) {
    const close = lower.indexOf(']');
    const rest = lower.slice(close + 1);
    if (close === -1 || (rest !== '' && !/^:\d{1,5}$/.test(rest))) return null;
    return lower.slice(1, close);
  }
  const match = /^([a-z0-9._-]+)(?::\d{1,5})?$/.exec(lower);
  return match === null ? null : match[1]!.replace(/\.$/, '');
}

/**
 * Whether a request names a host the developer's API may answer to. A DNS-rebinding page
 * reaches the server under the attacker's own domain name, never under an IP address or
 * `localhost` (which browsers resolve to loopback themselves), so those are always fine.
 */
export function createHostCheck(allowedHosts: ResolvedOptions['allowedHosts']): (req: IncomingMessage) => boolean {
  if (allowedHosts === true) return () => true;
  // Entries may be written as Host headers are, with a port: any port is allowed.
  const exact = new Set(allowedHosts.filter((host) => !host.startsWith('.')).map((host) => hostName(host) ?? host));
  const suffixes = allowedHosts.filter((host) => host.startsWith('.'));
  return (req) => {
    const name = hostName(req.headers.host);
    if (name === null) return false;
    if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0) return true;
    return exact.has(name) || suffixes.some((suffix) => name.endsWith(suffix) || name === suffix.slice(1));
  };
}

const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\//;

/**
 * True for a state-changing request another site's page made the browser send. Loupe's API
 * sends no CORS headers, so such a page cannot read answers, but a `DELETE` or a form post
 * would still act; browsers say where a request comes from in `Sec-Fetch-Site` and `Origin`.
 * The extension's own requests carry its extension origin, which no page can forge.
 */
export function isCrossSiteWrite(req: IncomingMessage): boolean {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return false;
  const origin = req.headers.origin;
  if (origin !== undefined && EXTENSION_ORIGIN.test(origin)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== (req.headers.host ?? '').toLowerCase();
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) or garbage: not this site.
    return true;
  }
}

/**
 * The one decision "may this request be recorded and read Loupe's data", per the brief:
 * development lets every request be recorded; production needs the key and `authorize`.
 */
export function createRecordingGate(options: ResolvedOptions) {
  const hasKey = createKeyCheck(options.keys);
  const clientAllowed = createClientCheck(options.allow);
  const hostAllowed = createHostCheck(options.allowedHosts);
  const authorize = options.authorize;

  const keyed = async (req: IncomingMessage): Promise<boolean> => {
    if (!hasKey(req)) return false;
    return authorize === null ? true : (await authorize(req)) === true;
  };

  return {
    /** May this request be recorded? Production: cheap `false` for requests without a key. */
    mayRecord(req: IncomingMessage): boolean | Promise<boolean> {
      if (options.mode === 'development') return true;
      if (req.headers[KEY_HEADER] === undefined) return false;
      return keyed(req);
    },
    /** May this request read the API? */
    mayRead(req: IncomingMessage): boolean | Promise<boolean> {
      if (options.mode === 'development') return clientAllowed(req) && hostAllowed(req);
      if (req.headers[KEY_HEADER] === undefined) return false;
      return keyed(req);
    },
  };
}

export type RecordingGate = ReturnType<typeof createRecordingGate>;
