import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CpuProfile, ProfileStats } from '../../shared/profile.js';
import { isRecordId } from '../../shared/protocol.js';
import { summarize, type LoupeRecord, type RecordSummary } from '../../shared/record.js';
import { DEFAULT_BOUNDS, type StoreBounds } from '../options.js';
import { DropReporter } from './drop-reporter.js';
import type { RecordStore, StoreUsage } from './store.js';
import { recordJson } from './record-json.js';
import { newestSummaries } from './newest-summaries.js';

interface IndexEntry {
  summary: RecordSummary;
  /** The record file's and its `.cpuprofile`'s bytes. */
  bytes: number;
}

interface IndexFile {
  format: 'loupe-file-store';
  version: 1;
  entries: Array<[id: string, summary: RecordSummary, bytes: number]>;
}

const INDEX_FILE = 'index.json';
const RECORD_SUFFIX = '.json';
const PROFILE_SUFFIX = '.cpuprofile';
const INDEX_WRITE_INTERVAL_MS = 1000;
/** Records waiting for the disk beyond this many bytes are dropped: a slow disk must not fill memory. */
const MAX_UNWRITTEN_BYTES = 32 * 1024 * 1024;

/**
 * Records as files in one directory: `<id>.json` per complete record (compact JSON, the
 * profile panel included once resolved), `<id>.cpuprofile` beside it, and `index.json` with
 * every record's summary and size. The index lives in memory and is written at most once a
 * second, so bounds are kept and lists answered without touching the disk; all writes go
 * through one queue, off the request path. Pending records (responses in flight) stay in
 * memory: they have no future after a restart. One directory belongs to one process.
 */
export class FileStore implements RecordStore {
  private readonly bounds: StoreBounds;
  /** Oldest saved first, so eviction takes from the front without scanning. */
  private index = new Map<string, IndexEntry>();
  private readonly pending = new Map<string, LoupeRecord>();
  /** Record files not yet on disk, by id: readers take them from here meanwhile. */
  private readonly unwritten = new Map<string, string>();
  private unwrittenBytes = 0;
  private totalBytes = 0;
  private queue: Promise<void> = Promise.resolve();
  private indexTimer: NodeJS.Timeout | null = null;
  private readonly drops: DropReporter;
  /** Resolves once the directory's records from before a restart are in the index. */
  readonly ready: Promise<void>;

  constructor(
    private readonly dir: string,
    bounds: Partial<StoreBounds> = {},
    private readonly onError: (error: unknown, where: string) => void = () => {},
  ) {
    this.bounds = { ...DEFAULT_BOUNDS, ...bounds };
    this.drops = new DropReporter(`file store ${dir}`, onError);
    mkdirSync(dir, { recursive: true });
    this.ready = this.load().catch((error: unknown) => onError(error, `loading the file store ${dir}`));
  }

  save(record: LoupeRecord): void {
    if (!isRecordId(record.id)) throw new Error(`not a record id: ${JSON.stringify(record.id)}`);
    if (record.state === 'pending') {
      this.pending.set(record.id, record);
      this.enforceBounds();
      return;
    }
    this.pending.delete(record.id);
    this.put(record.id, summarize(record), recordJson(record));
  }

  async get(id: string): Promise<LoupeRecord | undefined> {
    if (!isRecordId(id)) return undefined;
    const pending = this.pending.get(id);
    if (pending !== undefined) return this.isFresh(pending.startedAt) ? pending : undefined;
    const entry = this.index.get(id);
    if (entry === undefined || !this.isFresh(entry.summary.startedAt)) return undefined;
    return this.readRecord(id);
  }

  async attachProfile(id: string, stats: ProfileStats, cpuProfile: CpuProfile | undefined): Promise<void> {
    const record = await this.get(id);
    const entry = this.index.get(id);
    if (record === undefined || record.state !== 'complete' || entry === undefined) return;
    record.panels.profile = stats;
    const profileJson = cpuProfile === undefined ? undefined : JSON.stringify(cpuProfile);
    this.put(id, entry.summary, recordJson(record), profileJson);
  }

  async getProfile(id: string): Promise<CpuProfile | undefined> {
    if (!isRecordId(id) || !this.index.has(id)) return undefined;
    await this.queue;
    try {
      return JSON.parse(await readFile(this.pathOf(id, PROFILE_SUFFIX), 'utf8')) as CpuProfile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.skipCorrupt(id, error);
      return undefined;
    }
  }

  list(limit: number): RecordSummary[] {
    this.enforceBounds();
    return newestSummaries(this.pending.values(), [...this.index.values()].map((entry) => entry.summary), limit);
  }

  usage(): StoreUsage {
    this.enforceBounds();
    return { records: this.index.size + this.pending.size, bytes: this.totalBytes };
  }

  async clear(): Promise<void> {
    await this.ready;
    this.pending.clear();
    for (const id of [...this.index.keys()]) this.evict(id);
    this.scheduleIndexWrite();
    await this.queue;
  }

  async close(): Promise<void> {
    await this.ready;
    if (this.indexTimer !== null) {
      clearTimeout(this.indexTimer);
      this.indexTimer = null;
      this.enqueue(() => this.writeIndex());
    }
    await this.queue;
    this.drops.close();
  }

  /** Indexes a complete record now (replacing what it had) and queues its files. */
  private put(id: string, summary: RecordSummary, json: string, profileJson?: string): void {
    const bytes = json.length + (profileJson?.length ?? 0);
    const replacedBytes = this.index.get(id)?.bytes ?? 0;
    if (this.unwrittenBytes + json.length > MAX_UNWRITTEN_BYTES) {
      this.drops.drop(new Error('the disk is slower than the records arrive'));
      return;
    }
    this.index.delete(id);
    this.index.set(id, { summary, bytes });
    this.totalBytes += bytes - replacedBytes;
    this.unwrittenBytes += json.length - (this.unwritten.get(id)?.length ?? 0);
    this.unwritten.set(id, json);
    this.enqueue(async () => {
      if (profileJson !== undefined) await this.writeAtomically(this.pathOf(id, PROFILE_SUFFIX), profileJson);
      await this.writeAtomically(this.pathOf(id, RECORD_SUFFIX), json);
    }).finally(() => {
      // A later save of the same record may have replaced what waits here.
      if (this.unwritten.get(id) === json) {
        this.unwritten.delete(id);
        this.unwrittenBytes -= json.length;
      }
    });
    this.enforceBounds();
    this.scheduleIndexWrite();
  }

  private async readRecord(id: string): Promise<LoupeRecord | undefined> {
    const waiting = this.unwritten.get(id);
    let text: string;
    try {
      text = waiting ?? (await readFile(this.pathOf(id, RECORD_SUFFIX), 'utf8'));
    } catch (error) {
      // Gone meanwhile (evicted, or removed by hand): forget it quietly.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.forget(id);
      else this.onError(error, `reading a record of the file store ${this.dir}`);
      return undefined;
    }
    try {
      return JSON.parse(text) as LoupeRecord;
    } catch (error) {
      this.skipCorrupt(id, error);
      return undefined;
    }
  }

  private skipCorrupt(id: string, error: unknown): void {
    this.onError(new Error(`corrupt record ${id} skipped and removed (${(error as Error).message})`), `file store ${this.dir}`);
    this.evict(id);
  }

  private isFresh(startedAt: number): boolean {
    return Date.now() - startedAt <= this.bounds.maxAgeMs;
  }

  /**
   * Evicts from the front of the index (the oldest saved) while over a bound or too old: the
   * work is proportional to what goes, never to what stays.
   */
  private enforceBounds(): void {
    const { maxRecords, maxBytes } = this.bounds;
    for (const [id, entry] of this.index) {
      const over = this.index.size + this.pending.size > maxRecords || this.totalBytes > maxBytes;
      if (!over && this.isFresh(entry.summary.startedAt)) break;
      this.evict(id);
    }
    for (const [id, record] of this.pending) {
      if (this.pending.size <= maxRecords && this.isFresh(record.startedAt)) break;
      this.pending.delete(id);
    }
  }

  private evict(id: string): void {
    this.forget(id);
    this.enqueue(async () => {
      await Promise.all([unlinkIfThere(this.pathOf(id, RECORD_SUFFIX)), unlinkIfThere(this.pathOf(id, PROFILE_SUFFIX))]);
    });
    this.scheduleIndexWrite();
  }

  private forget(id: string): void {
    const entry = this.index.get(id);
    if (entry === undefined) return;
    this.index.delete(id);
    this.totalBytes -= entry.bytes;
    const waiting = this.unwritten.get(id);
    if (waiting !== undefined) {
      this.unwritten.delete(id);
      this.unwrittenBytes -= waiting.length;
    }
  }

  private pathOf(id: string, suffix: string): string {
    // Only validated ids reach here: 22 base64url characters cannot leave the directory.
    if (!isRecordId(id)) throw new Error(`not a record id: ${JSON.stringify(id)}`);
    return join(this.dir, id + suffix);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task).catch((error: unknown) => this.drops.drop(error));
    this.queue = run;
    return run;
  }

  private async writeAtomically(path: string, text: string): Promise<void> {
    const temporary = `${path}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, path);
  }

  private scheduleIndexWrite(): void {
    if (this.indexTimer !== null) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = null;
      this.enqueue(() => this.writeIndex());
    }, INDEX_WRITE_INTERVAL_MS);
    this.indexTimer.unref();
  }

  private writeIndex(): Promise<void> {
    const file: IndexFile = {
      format: 'loupe-file-store',
      version: 1,
      entries: [...this.index].map(([id, entry]) => [id, entry.summary, entry.bytes]),
    };
    return this.writeAtomically(join(this.dir, INDEX_FILE), JSON.stringify(file));
  }

  /**
   * Once, at start: the index from the last run, plus any record file it does not know yet
   * (written after its last save); corrupt files are reported and removed, leftovers of
   * interrupted writes deleted.
   */
  private async load(): Promise<void> {
    const known = await this.readIndex();
    const loaded = new Map<string, IndexEntry>();
    const names = await readdir(this.dir);
    const present = new Set(names);
    for (const [id, summary, bytes] of known) {
      if (present.has(id + RECORD_SUFFIX)) loaded.set(id, { summary, bytes });
    }
    const adopted: Array<[string, IndexEntry]> = [];
    for (const name of names) {
      if (name.endsWith('.tmp')) await unlinkIfThere(join(this.dir, name));
      if (!name.endsWith(RECORD_SUFFIX) || name === INDEX_FILE) continue;
      const id = name.slice(0, -RECORD_SUFFIX.length);
      if (!isRecordId(id) || loaded.has(id) || this.index.has(id)) continue;
      const entry = await this.readForIndex(id);
      if (entry !== undefined) adopted.push([id, entry]);
    }
    adopted.sort((a, b) => a[1].summary.startedAt - b[1].summary.startedAt);
    for (const [id, entry] of adopted) loaded.set(id, entry);
    // Records saved while loading are the newest: they go last.
    for (const [id, entry] of this.index) {
      loaded.delete(id);
      loaded.set(id, entry);
    }
    this.index = loaded;
    this.totalBytes = 0;
    for (const entry of loaded.values()) this.totalBytes += entry.bytes;
    this.enforceBounds();
    this.scheduleIndexWrite();
  }

  private async readIndex(): Promise<IndexFile['entries']> {
    let text: string;
    try {
      text = await readFile(join(this.dir, INDEX_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return [];
    }
    try {
      const file = JSON.parse(text) as Partial<IndexFile>;
      if (file.format === 'loupe-file-store' && file.version === 1 && Array.isArray(file.entries)) return file.entries;
      throw new Error('not a Loupe index');
    } catch (error) {
      this.onError(new Error(`corrupt index skipped, rebuilt from the record files (${(error as Error).message})`), `file store ${this.dir}`);
      return [];
    }
  }

  private async readForIndex(id: string): Promise<IndexEntry | undefined> {
    const path = this.pathOf(id, RECORD_SUFFIX);
    try {
      const text = await readFile(path, 'utf8');
      const record = JSON.parse(text) as LoupeRecord;
      return { summary: summarize(record), bytes: text.length };
    } catch (error) {
      this.onError(new Error(`corrupt record ${id} skipped and removed (${(error as Error).message})`), `file store ${this.dir}`);
      await unlinkIfThere(path);
      return undefined;
    }
  }
}

async function unlinkIfThere(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
