import type { CpuProfile, ProfileStats } from '../../shared/profile.js';
import type { LoupeRecord, RecordSummary } from '../../shared/record.js';
import type { ProfileSink } from './profile-sink.js';
import type { SampleCounter } from './sample-counter.js';

/**
 * Where records live. The memory store is the default; the file and Redis stores implement
 * the same interface. Every store is bounded by count, bytes and age (`StoreBounds`).
 * Methods may answer synchronously or with a promise: the recorder never awaits a save on
 * the request path.
 */
export interface RecordStore {
  /** Inserts or replaces a record: first `pending`, then `complete`. */
  save(record: LoupeRecord): void | Promise<void>;
  get(id: string): LoupeRecord | undefined | Promise<LoupeRecord | undefined>;
  /**
   * Adds a complete record's resolved profile panel, and its `.cpuprofile` when it has one;
   * `get` then returns the record with `panels.profile` replaced. No-op for unknown ids.
   */
  attachProfile(id: string, stats: ProfileStats, cpuProfile: CpuProfile | undefined): void | Promise<void>;
  getProfile(id: string): CpuProfile | undefined | Promise<CpuProfile | undefined>;
  /** Summaries of the most recent records, newest first. */
  list(limit: number): RecordSummary[] | Promise<RecordSummary[]>;
  /** How much the store holds now, to check its bounds. */
  usage(): StoreUsage | Promise<StoreUsage>;
  clear(): void | Promise<void>;
  close(): void | Promise<void>;
  /** A store shared by several processes also holds their one accumulated CPU profile. */
  readonly profileSink?: ProfileSink;
  /** ...and the production sampling counter, so that "every Nth request" holds fleet-wide. */
  sampleCounter?(every: number): SampleCounter;
}

export interface StoreUsage {
  records: number;
  bytes: number;
}
