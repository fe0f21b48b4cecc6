import type { RedisStoreSettings } from './redis-store.js';
import type { RecordStore } from './store.js';

/** Which store to build: `{ file: dir }` or `{ redis: url | client, prefix? }`. */
export type StoreSpec = { file: string } | RedisStoreSettings;

/** Reads `LOUPE_STORE`: `memory`, `file:<dir>`, or a `redis://` / `rediss://` URL. */
export function parseStoreSpec(value: string): StoreSpec | null {
  if (value === '' || value === 'memory') return null;
  if (value.startsWith('file:')) return { file: value.slice('file:'.length) || '.loupe' };
  if (/^rediss?:\/\//.test(value)) return { redis: value };
  throw new Error(`LOUPE_STORE must be memory, file:<dir> or a redis:// URL, not ${JSON.stringify(value)}`);
}

export function isStoreSpec(store: RecordStore | StoreSpec): store is StoreSpec {
  return 'file' in store || 'redis' in store;
}
