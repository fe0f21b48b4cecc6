import type { StoreBounds } from '../options.js';
import { FileStore } from './file-store.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import { isStoreSpec, type StoreSpec } from './store-spec.js';
import type { RecordStore } from './store.js';

export function createStore(
  store: RecordStore | StoreSpec | null,
  bounds: StoreBounds,
  onError: (error: unknown, where: string) => void,
): RecordStore {
  if (store === null) return new MemoryStore(bounds);
  if (!isStoreSpec(store)) return store;
  if ('file' in store) return new FileStore(store.file, bounds, onError);
  return new RedisStore(store, bounds, onError);
}
