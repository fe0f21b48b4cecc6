import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreBounds } from '../../server-middleware/options.js';
import { FileStore } from '../../server-middleware/stores/file-store.js';
import { MemoryStore } from '../../server-middleware/stores/memory-store.js';
import { RedisStore } from '../../server-middleware/stores/redis-store.js';
import type { RecordStore } from '../../server-middleware/stores/store.js';
import type { RunningRedis } from './redis.js';

export type StoreKind = 'memory' | 'file' | 'redis';

/** Makes stores of one kind, ready to use, each empty and on its own (directory, key prefix). */
export interface StoreFactory {
  create(bounds?: Partial<StoreBounds>, onError?: (error: unknown, where: string) => void): Promise<RecordStore>;
  /** Closes every store made and removes what they left. */
  cleanup(): Promise<void>;
}

let serial = 0;

export function storeFactory(kind: StoreKind, redis?: () => RunningRedis): StoreFactory {
  const made: RecordStore[] = [];
  const dirs: string[] = [];
  return {
    async create(bounds = {}, onError = () => {}) {
      let store: RecordStore;
      if (kind === 'memory') store = new MemoryStore(bounds);
      else if (kind === 'file') {
        const dir = await mkdtemp(join(tmpdir(), 'loupe-file-store-'));
        dirs.push(dir);
        const fileStore = new FileStore(dir, bounds, onError);
        await fileStore.ready;
        store = fileStore;
      } else {
        const redisStore = new RedisStore({ redis: redis!().url, prefix: `test-${process.pid}-${++serial}` }, bounds, onError);
        await redisStore.ready;
        store = redisStore;
      }
      made.push(store);
      return store;
    },
    async cleanup() {
      for (const store of made.splice(0)) {
        await store.clear();
        await store.close();
      }
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  };
}
