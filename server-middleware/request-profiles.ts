import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CpuProfile, ProfileStats } from '../shared/profile.js';
import type { LoupeRecord } from '../shared/record.js';
import { DEFAULT_PROFILER, type ResolvedOptions } from './options.js';
import type { RequestProfiler } from './profiler/profiler.js';
import type { CutProfile } from './profiler/request-profile.js';
import type { RecordStore } from './stores/store.js';

const TOP_FUNCTIONS = 15;

/**
 * Owned records of a shared store waiting for their samples. A second of traffic in
 * development fits easily; past this the oldest waiting record is given up and marked
 * `expired` in the store, since the newest requests are the ones a developer looks at.
 */
const MAX_OWNED_PENDING = 1000;

/** How long one turn of the event loop may spend cutting owned records' profiles. */
const RESOLVE_SLICE_MS = 2;

export type RequestProfileAnswer =
  | { status: 'ready'; cpuProfile: CpuProfile }
  | { status: 'not_profiled' | 'pending' | 'expired' };

/** A Loupe instance's name in the records it profiles: host, pid, and a random part for reused pids. */
function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(6).toString('base64url')}`;
}

function cutStats(pending: ProfileStats, cut: CutProfile | 'expired'): ProfileStats {
  if (cut === 'expired') return { ...pending, status: 'expired' };
  return {
    ...pending,
    status: 'ready',
    samples: cut.samples,
    sampledMs: Math.round(cut.sampledMs * 1000) / 1000,
    topSelf: cut.functions.sorted('self', TOP_FUNCTIONS),
    topCumulative: cut.functions.sorted('cumulative', TOP_FUNCTIONS),
  };
}

function withProfile(record: LoupeRecord, stats: ProfileStats): LoupeRecord {
  return { ...record, panels: { ...record.panels, profile: stats } };
}

/**
 * Turns a record's `pending` profile panel into its statistics. Only the instance that
 * recorded the request can: the window is on its process's clock and the samples are in its
 * profiler's retained segments. With a one-process store (memory, file) that happens lazily,
 * when the record is read. With a store shared by a fleet (it has a `profileSink`), the owner
 * also resolves its records by itself soon after each processed segment, off the request
 * path, and stores the result, so that any instance can serve it.
 */
export function createRequestProfiles(
  profiler: RequestProfiler | null,
  store: RecordStore,
  options: Pick<ResolvedOptions, 'profile' | 'onError'>,
) {
  const instance = newInstanceId();
  const shared = store.profileSink !== undefined;
  const retainMs = (options.profile ?? DEFAULT_PROFILER).retainMs;
  /** Owned pending profiles by record id, in order of completion and so of window end. */
  const owned = new Map<string, ProfileStats>();
  let resolving: NodeJS.Immediate | null = null;
  if (shared && profiler !== null) profiler.onSegmentProcessed = scheduleResolving;

  /** Never rejects: a store that fails to take a profile is reported, not thrown. */
  function attach(id: string, stats: ProfileStats, cpuProfile: CpuProfile | undefined): Promise<void> {
    try {
      return Promise.resolve(store.attachProfile(id, stats, cpuProfile)).catch((error: unknown) =>
        options.onError(error, 'store.attachProfile'),
      );
    } catch (error) {
      options.onError(error, 'store.attachProfile');
      return Promise.resolve();
    }
  }

  /** The recorder's hook: in a shared store, this instance's pending profiles are queued for resolving. */
  function completed(record: LoupeRecord): void {
    const pending = record.panels.profile;
    if (!shared || profiler === null || pending?.status !== 'pending') return;
    if (owned.size >= MAX_OWNED_PENDING) {
      const [oldestId, oldest] = owned.entries().next().value!;
      owned.delete(oldestId);
      void attach(oldestId, { ...oldest, status: 'expired' }, undefined);
    }
    owned.set(record.id, pending);
  }

  function scheduleResolving(): void {
    if (resolving !== null || owned.size === 0) return;
    resolving = setImmediate(() => {
      resolving = null;
      if (resolveOwned(RESOLVE_SLICE_MS)) scheduleResolving();
    });
  }

  /**
   * Cuts and stores owned profiles whose samples are processed, oldest first, for about
   * `budgetMs`. Returns whether more are ready; the rest wait for the next segment.
   */
  function resolveOwned(budgetMs: number): boolean {
    const deadline = performance.now() + budgetMs;
    for (const [id, pending] of owned) {
      if (performance.now() >= deadline) return true;
      const cut = profiler!.cut(pending.startUs, pending.endUs);
      if (cut === 'pending') return false;
      owned.delete(id);
      void attach(id, cutStats(pending, cut), cut === 'expired' ? undefined : cut.cpuProfile);
    }
    return false;
  }

  /**
   * Whether another instance's pending profile will never be resolved. In a one-process store
   * that instance is gone (the process restarted). In a shared store its owner resolves it
   * within a segment or two; still pending once `retainMs` has passed since the request ended
   * means the owner died first (or dropped it), and its samples would be gone by now anyway.
   */
  function abandoned(record: LoupeRecord): boolean {
    if (!shared) return true;
    return Date.now() - (record.startedAt + (record.durationMs ?? 0)) > retainMs;
  }

  async function resolve(record: LoupeRecord): Promise<{ record: LoupeRecord; cpuProfile?: CpuProfile }> {
    const pending = record.panels.profile;
    if (pending?.status !== 'pending' || record.state !== 'complete') return { record };
    if (pending.instance !== instance) {
      // Not stored: in a shared store the owner, if alive after all, still has the last word.
      return abandoned(record) ? { record: withProfile(record, { ...pending, status: 'expired' }) } : { record };
    }
    if (profiler === null) return { record };
    let cut = profiler.cut(pending.startUs, pending.endUs);
    if (cut === 'pending') {
      profiler.flush();
      cut = profiler.cut(pending.startUs, pending.endUs);
    }
    if (cut === 'pending') return { record };
    owned.delete(record.id);
    const stats = cutStats(pending, cut);
    const cpuProfile = cut === 'expired' ? undefined : cut.cpuProfile;
    await attach(record.id, stats, cpuProfile);
    return { record: withProfile(record, stats), cpuProfile };
  }

  /** `GET {api}/requests/{id}/profile` for a record that exists. */
  async function cpuProfileOf(record: LoupeRecord): Promise<RequestProfileAnswer> {
    if (record.panels.profile === undefined) return { status: 'not_profiled' };
    if (record.state === 'pending') return { status: 'pending' };
    const resolved = await resolve(record);
    if (resolved.cpuProfile !== undefined) return { status: 'ready', cpuProfile: resolved.cpuProfile };
    const status = resolved.record.panels.profile!.status;
    if (status !== 'ready') return { status };
    const stored = await store.getProfile(record.id);
    return stored === undefined ? { status: 'expired' } : { status: 'ready', cpuProfile: stored };
  }

  /**
   * Before the profiler stops: what can be cut is cut and stored, the rest is marked expired,
   * since no other instance can resolve it.
   */
  function close(): void {
    if (resolving !== null) clearImmediate(resolving);
    resolving = null;
    if (owned.size === 0) return;
    profiler!.flush();
    resolveOwned(Infinity);
    for (const [id, pending] of owned) void attach(id, { ...pending, status: 'expired' }, undefined);
    owned.clear();
  }

  return { instance, completed, resolve, cpuProfileOf, close };
}

export type RequestProfiles = ReturnType<typeof createRequestProfiles>;
