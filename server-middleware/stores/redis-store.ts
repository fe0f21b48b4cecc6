import type { CpuProfile, ProfileStats } from '../../shared/profile.js';
import { isRecordId } from '../../shared/protocol.js';
import { summarize, type LoupeRecord, type RecordSummary } from '../../shared/record.js';
import { DEFAULT_BOUNDS, type StoreBounds } from '../options.js';
import { DropReporter } from './drop-reporter.js';
import { connectRedis, redisKeys, withTimeout, type RedisClientLike, type RedisCommands, type RedisKeys } from './redis-client.js';
import { RedisProfileSink } from './redis-profile-sink.js';
import { RedisSampleCounter } from './redis-sample-counter.js';
import type { RecordStore, StoreUsage } from './store.js';
import { recordJson } from './record-json.js';

export interface RedisStoreSettings {
  /** A `redis://` or `rediss://` URL, or a node-redis client (connected or not) the app owns. */
  redis: string | RedisClientLike;
  /** Prefix of every key; they all share the hash tag `{prefix}`. */
  prefix?: string;
  /** Reads for the API give up after this long. */
  timeoutMs?: number;
}

export const DEFAULT_REDIS_PREFIX = 'loupe';
const DEFAULT_TIMEOUT_MS = 1000;
/** Writes on their way to Redis at once; beyond this a slow Redis costs records, not memory. */
const MAX_WRITES_IN_FLIGHT = 500;

/**
 * Trims the index (KEYS[2], a sorted set of ids by start time), the per-record sizes (KEYS[3])
 * and the byte total (KEYS[4]) to the bounds in ARGV[1..3], oldest first; returns the evicted
 * ids, whose record keys the caller deletes (they also expire by themselves).
 */
const TRIM = `
local function trim()
  local evicted = {}
  local function forget(victim)
    local bytes = tonumber(redis.call('HGET', KEYS[3], victim) or '0')
    redis.call('HDEL', KEYS[3], victim)
    redis.call('DECRBY', KEYS[4], bytes)
    evicted[#evicted + 1] = victim
  end
  for _, victim in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])) do
    redis.call('ZREM', KEYS[2], victim)
    forget(victim)
  end
  while redis.call('ZCARD', KEYS[2]) > tonumber(ARGV[1]) or tonumber(redis.call('GET', KEYS[4]) or '0') > tonumber(ARGV[2]) do
    local popped = redis.call('ZPOPMIN', KEYS[2])
    if #popped == 0 then break end
    forget(popped[1])
  end
  return evicted
end
`;

/** Saves a record (KEYS[1], a hash) with its TTL, indexes it and trims. ARGV[4..8]: id, startedAt, ttl, record, summary. */
const SAVE = `${TRIM}
local size = string.len(ARGV[7]) + string.len(ARGV[8])
local old = tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '0')
redis.call('HSET', KEYS[1], 'record', ARGV[7], 'summary', ARGV[8])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
redis.call('HSET', KEYS[3], ARGV[4], size)
redis.call('INCRBY', KEYS[4], size - old)
return trim()
`;

/** Adds the profile panel and `.cpuprofile` to an indexed record. ARGV[4..6]: id, stats, cpuprofile or ''. */
const ATTACH_PROFILE = `${TRIM}
if redis.call('EXISTS', KEYS[1]) == 0 or not redis.call('ZSCORE', KEYS[2], ARGV[4]) then return {} end
local size = string.len(ARGV[5]) + string.len(ARGV[6])
redis.call('HSET', KEYS[1], 'stats', ARGV[5], 'cpuprofile', ARGV[6])
redis.call('HINCRBY', KEYS[3], ARGV[4], size)
redis.call('INCRBY', KEYS[4], size)
return trim()
`;


/**
 * Records in Redis, shared by every process of a fleet: a hash per record with a TTL (the age
 * bound), a sorted set of recent ids and per-record sizes kept within the count and byte
 * bounds by a script, atomically, on every save. All of Loupe's keys share one hash tag, so
 * one Redis Cluster shard holds them; the bounds keep that small.
 *
 * Nothing here waits on the request path: saves are sent and forgotten. While Redis is down
 * or slow, records are dropped and counted (one warning per interval through `onError`), and
 * recording resumes when the client reconnects.
 */
export class RedisStore implements RecordStore {
  readonly profileSink: RedisProfileSink;
  /** Resolves once connected (never, while Redis stays unreachable). */
  readonly ready: Promise<void>;
  private client: RedisCommands | null = null;
  private readonly ownsClient: boolean;
  private readonly keys: RedisKeys;
  private readonly bounds: StoreBounds;
  private readonly timeoutMs: number;
  private readonly drops: DropReporter;
  private writesInFlight = 0;
  private closed = false;

  constructor(
    settings: RedisStoreSettings,
    bounds: Partial<StoreBounds> = {},
    private readonly onError: (error: unknown, where: string) => void = () => {},
  ) {
    this.bounds = { ...DEFAULT_BOUNDS, ...bounds };
    this.keys = redisKeys(settings.prefix ?? DEFAULT_REDIS_PREFIX);
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.drops = new DropReporter('Redis store', onError);
    this.ownsClient = typeof settings.redis === 'string';
    this.profileSink = new RedisProfileSink(() => this.connected(), this.keys, this.timeoutMs, this.drops);
    this.ready = this.connect(settings.redis);
    this.ready.catch((error: unknown) => onError(error, 'Redis store'));
  }

  /**
   * The production sampling counter shared by the fleet. The profiler and the counter use
   * the same client, so that they fail and recover together with the store.
   */
  sampleCounter(every: number): RedisSampleCounter {
    return new RedisSampleCounter(every, () => this.connected(), this.keys.sampleCounter, this.drops);
  }

  save(record: LoupeRecord): void {
    if (!isRecordId(record.id)) throw new Error(`not a record id: ${JSON.stringify(record.id)}`);
    const ttl = record.startedAt + this.bounds.maxAgeMs - Date.now();
    if (ttl <= 0) return;
    this.write(SAVE, record.id, [
      record.id,
      String(record.startedAt),
      String(Math.ceil(ttl)),
      recordJson(record),
      JSON.stringify(summarize(record)),
    ]);
  }

  async get(id: string): Promise<LoupeRecord | undefined> {
    if (!isRecordId(id)) return undefined;
    // The index says what the store holds: a record just evicted may wait a moment for its DEL.
    const [[json, stats], indexed] = await this.read((client) =>
      Promise.all([client.hmGet(this.keys.record(id), ['record', 'stats']), client.zScore(this.keys.recent, id)]),
    );
    if (json === null || json === undefined || indexed === null) return undefined;
    const record = JSON.parse(json) as LoupeRecord;
    if (stats !== null && stats !== undefined) record.panels.profile = JSON.parse(stats) as ProfileStats;
    return record;
  }

  attachProfile(id: string, stats: ProfileStats, cpuProfile: CpuProfile | undefined): void {
    if (!isRecordId(id)) return;
    this.write(ATTACH_PROFILE, id, [id, JSON.stringify(stats), cpuProfile === undefined ? '' : JSON.stringify(cpuProfile)]);
  }

  async getProfile(id: string): Promise<CpuProfile | undefined> {
    if (!isRecordId(id)) return undefined;
    const json = await this.read((client) => client.hGet(this.keys.record(id), 'cpuprofile'));
    return json === null || json === undefined || json === '' ? undefined : (JSON.parse(json) as CpuProfile);
  }

  async list(limit: number): Promise<RecordSummary[]> {
    const ids = await this.read((client) => client.zRange(this.keys.recent, 0, limit - 1, { REV: true }));
    const summaries = await this.read((client) => Promise.all(ids.map((id) => client.hGet(this.keys.record(id), 'summary'))));
    return summaries.flatMap((json) => (typeof json === 'string' ? [JSON.parse(json) as RecordSummary] : []));
  }

  async usage(): Promise<StoreUsage> {
    const [records, bytes] = await this.read((client) => Promise.all([client.zCard(this.keys.recent), client.get(this.keys.bytes)]));
    return { records, bytes: Number(bytes ?? 0) };
  }

  async clear(): Promise<void> {
    const ids = await this.read((client) => client.zRange(this.keys.recent, 0, -1));
    await this.read((client) =>
      client.del([...ids.map((id) => this.keys.record(id)), this.keys.recent, this.keys.sizes, this.keys.bytes]),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.drops.close();
    const client = this.client;
    this.client = null;
    if (client === null || !this.ownsClient) return;
    // A client still trying to reach Redis is stopped outright; it would keep the process alive.
    if (client.isReady) await client.quit?.();
    else if (client.isOpen) await (client.destroy ?? client.disconnect)?.call(client);
  }

  private async connect(redis: string | RedisClientLike): Promise<void> {
    const client = typeof redis === 'string' ? await connectRedis(redis, this.timeoutMs) : (redis as RedisCommands);
    if (this.closed) return;
    // Without a listener an unreachable Redis would crash the app with an unhandled 'error'.
    client.on('error', (error: unknown) => this.drops.drop(error, 0));
    this.client = client;
    if (!client.isOpen) await client.connect();
  }

  /** The client while it can take commands right now, else null: nothing waits for Redis. */
  private connected(): RedisCommands | null {
    const client = this.client;
    return client !== null && client.isOpen && client.isReady !== false ? client : null;
  }

  /** Runs a script on the record `id` and the index; fire and forget, dropped when Redis cannot take it. */
  private write(script: string, id: string, args: string[]): void {
    const client = this.connected();
    if (client === null) return this.drops.drop(new Error('Redis is not connected'));
    if (this.writesInFlight >= MAX_WRITES_IN_FLIGHT) return this.drops.drop(new Error('Redis is slower than the records arrive'));
    const { maxRecords, maxBytes, maxAgeMs } = this.bounds;
    this.writesInFlight++;
    client
      .eval(script, {
        keys: [this.keys.record(id), this.keys.recent, this.keys.sizes, this.keys.bytes],
        arguments: [String(maxRecords), String(maxBytes), String(Date.now() - maxAgeMs), ...args],
      })
      .then((evicted) => {
        const ids = evicted as string[];
        if (ids.length > 0) return client.del(ids.map((victim) => this.keys.record(victim)));
        return undefined;
      })
      .catch((error: unknown) => this.drops.drop(error))
      .finally(() => this.writesInFlight--);
  }

  /** A read for the API, bounded in time: a slow Redis gives an error answer, not a hung request. */
  private read<T>(command: (client: RedisCommands) => Promise<T>): Promise<T> {
    const client = this.connected();
    if (client === null) return Promise.reject(new Error('Redis is not connected'));
    return withTimeout(command(client), this.timeoutMs, 'Redis did not answer in time');
  }
}
