/**
 * The part of a node-redis (v4 or v5) client or cluster Loupe uses. Typed here rather than
 * imported so that `redis` stays an optional peer dependency: apps without it compile and run.
 */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady?: boolean;
  connect(): Promise<unknown>;
}

/** The commands the Redis store sends, in the shape node-redis v4 and v5 share. */
export interface RedisCommands extends RedisClientLike {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  off?(event: 'error', listener: (error: unknown) => void): unknown;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(keys: string | string[]): Promise<number>;
  incrBy(key: string, increment: number): Promise<number>;
  hGet(key: string, field: string): Promise<string | null | undefined>;
  hmGet(key: string, fields: string[]): Promise<Array<string | null>>;
  hGetAll(key: string): Promise<Record<string, string>>;
  hSetNX(key: string, field: string, value: string): Promise<unknown>;
  sMembers(key: string): Promise<string[]>;
  zCard(key: string): Promise<number>;
  zScore(key: string, member: string): Promise<number | null>;
  zRange(key: string, start: number, stop: number, options?: { REV?: boolean }): Promise<string[]>;
  quit?(): Promise<unknown>;
  /** v5 */
  destroy?(): unknown;
  /** v4 */
  disconnect?(): unknown;
}

/**
 * A client of Loupe's own for a `redis://` URL. The offline queue is off: while Redis is
 * unreachable commands fail at once instead of piling up in memory, and the client keeps
 * reconnecting in the background so recording resumes by itself.
 */
export async function connectRedis(url: string, connectTimeoutMs: number): Promise<RedisCommands> {
  let redis: typeof import('redis');
  try {
    redis = await import('redis');
  } catch (error) {
    throw new Error(`the Redis store needs the redis package: npm install redis (${(error as Error).message})`);
  }
  const client = redis.createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000),
    },
  });
  return client as unknown as RedisCommands;
}

/** Keys of one Loupe installation: one hash tag, so scripts may touch them together in a Redis Cluster. */
export function redisKeys(prefix: string) {
  if (/[{}]/.test(prefix)) throw new Error(`the Redis key prefix may not contain braces: ${prefix}`);
  const tag = `{${prefix}}`;
  return {
    record: (id: string) => `${tag}:rec:${id}`,
    recent: `${tag}:recent`,
    sizes: `${tag}:sizes`,
    bytes: `${tag}:bytes`,
    sampleCounter: `${tag}:sample-counter`,
    profile: (part: string) => `${tag}:profile:${part}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Rejects when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
