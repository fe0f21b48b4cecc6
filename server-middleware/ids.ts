import { randomFillSync } from 'node:crypto';

const ID_BYTES = 16;
const POOL_IDS = 256;

/**
 * Makes record ids: 128 bits from the CSPRNG, base64url. Filling a pool of ids at once
 * keeps the per-request cost to a slice instead of a call into OpenSSL.
 */
export function createIdSource(): () => string {
  const pool = Buffer.allocUnsafe(ID_BYTES * POOL_IDS);
  let offset = pool.length;
  return () => {
    if (offset === pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const id = pool.toString('base64url', offset, offset + ID_BYTES);
    offset += ID_BYTES;
    return id;
  };
}
