import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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

/**
 * The one decision "may this request be recorded and read Loupe's data", per the brief:
 * development lets every request be recorded; production needs the key and `authorize`.
 */
export function createRecordingGate(options: ResolvedOptions) {
  const hasKey = createKeyCheck(options.keys);
  const clientAllowed = createClientCheck(options.allow);
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
      if (options.mode === 'development') return clientAllowed(req);
      if (req.headers[KEY_HEADER] === undefined) return false;
      return keyed(req);
    },
  };
}

export type RecordingGate = ReturnType<typeof createRecordingGate>;
