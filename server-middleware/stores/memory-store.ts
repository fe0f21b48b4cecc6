import { LRUCache } from 'lru-cache';
import type { CpuProfile, ProfileStats } from '../../shared/profile.js';
import { summarize, type LoupeRecord, type RecordSummary } from '../../shared/record.js';
import { DEFAULT_BOUNDS, type StoreBounds } from '../options.js';
import type { RecordStore, StoreUsage } from './store.js';
import { recordJson } from './record-json.js';
import { newestSummaries } from './newest-summaries.js';

interface Entry {
  /** Complete records are kept serialised: their size is then exact and they cost no more. */
  json: string;
  summary: RecordSummary;
  profileStats?: ProfileStats;
  cpuProfileJson?: string;
}

/**
 * Overhead of an entry besides its JSON (the entry, its summary, the cache's slots), so that
 * many tiny records still count against the byte budget.
 */
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * Records in this process's memory. Complete records sit in an LRU bounded by count, bytes
 * and age; pending ones (responses still in flight) are live objects in a map bounded by the
 * same count and age, and move to the LRU when complete.
 */
export class MemoryStore implements RecordStore {
  private readonly complete: LRUCache<string, Entry>;
  private readonly pending = new Map<string, LoupeRecord>();
  private readonly bounds: StoreBounds;

  constructor(bounds: Partial<StoreBounds> = {}) {
    this.bounds = { ...DEFAULT_BOUNDS, ...bounds };
    this.complete = new LRUCache<string, Entry>({
      max: this.bounds.maxRecords,
      maxSize: this.bounds.maxBytes,
      ttl: this.bounds.maxAgeMs,
      sizeCalculation: (entry) =>
        entry.json.length + (entry.cpuProfileJson?.length ?? 0) + (entry.profileStats === undefined ? 0 : 2048) + ENTRY_OVERHEAD_BYTES,
    });
  }

  save(record: LoupeRecord): void {
    if (record.state === 'pending') {
      this.pending.set(record.id, record);
    } else {
      this.pending.delete(record.id);
      this.complete.set(record.id, { json: recordJson(record), summary: summarize(record) });
    }
    this.enforceBounds();
  }

  get(id: string): LoupeRecord | undefined {
    const pending = this.pending.get(id);
    if (pending !== undefined) return this.isFresh(pending) ? pending : undefined;
    // peek: reading a record must not change which one is evicted next.
    const entry = this.complete.peek(id);
    if (entry === undefined) return undefined;
    const record = JSON.parse(entry.json) as LoupeRecord;
    if (entry.profileStats !== undefined) record.panels.profile = entry.profileStats;
    return record;
  }

  attachProfile(id: string, stats: ProfileStats, cpuProfile: CpuProfile | undefined): void {
    const entry = this.complete.peek(id);
    if (entry === undefined) return;
    // Setting again recomputes the entry's size against the byte bound.
    this.complete.set(id, {
      ...entry,
      profileStats: stats,
      cpuProfileJson: cpuProfile === undefined ? undefined : JSON.stringify(cpuProfile),
    });
  }

  getProfile(id: string): CpuProfile | undefined {
    const json = this.complete.peek(id)?.cpuProfileJson;
    return json === undefined ? undefined : (JSON.parse(json) as CpuProfile);
  }

  list(limit: number): RecordSummary[] {
    this.complete.purgeStale();
    this.enforceBounds();
    return newestSummaries(this.pending.values(), [...this.complete.values()].map((entry) => entry.summary), limit);
  }

  usage(): StoreUsage {
    this.complete.purgeStale();
    return { records: this.complete.size + this.pending.size, bytes: this.complete.calculatedSize };
  }

  clear(): void {
    this.complete.clear();
    this.pending.clear();
  }

  close(): void {
    this.clear();
  }

  private isFresh(record: LoupeRecord): boolean {
    return Date.now() - record.startedAt <= this.bounds.maxAgeMs;
  }

  /**
   * Keeps pending and complete records together within the count bound: the oldest complete
   * record goes first, then the oldest pending one (maps iterate in insertion order).
   */
  private enforceBounds(): void {
    while (this.pending.size + this.complete.size > this.bounds.maxRecords && this.complete.size > 0) {
      this.complete.pop();
    }
    for (const [id, record] of this.pending) {
      if (this.pending.size <= this.bounds.maxRecords && this.isFresh(record)) break;
      this.pending.delete(id);
    }
  }
}
