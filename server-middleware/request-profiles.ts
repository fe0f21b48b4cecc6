import type { CpuProfile, ProfileStats } from '../shared/profile.js';
import type { LoupeRecord } from '../shared/record.js';
import type { RequestProfiler } from './profiler/profiler.js';
import type { RecordStore } from './stores/store.js';

const TOP_FUNCTIONS = 15;

export type RequestProfileAnswer =
  | { status: 'ready'; cpuProfile: CpuProfile }
  | { status: 'not_profiled' | 'pending' | 'expired' };

/**
 * Turns a record's `pending` profile panel into its statistics, lazily, when the record is
 * read: the samples are cut from the profiler's retained segments and the result is kept
 * with the record, so the segments may go afterwards.
 */
export function createRequestProfiles(
  profiler: RequestProfiler | null,
  store: RecordStore,
  onError: (error: unknown, where: string) => void,
) {
  async function resolve(record: LoupeRecord): Promise<{ record: LoupeRecord; cpuProfile?: CpuProfile }> {
    const pending = record.panels.profile;
    if (profiler === null || pending?.status !== 'pending' || record.state !== 'complete') return { record };
    let cut = profiler.cut(pending.startUs, pending.endUs);
    if (cut === 'pending') {
      profiler.flush();
      cut = profiler.cut(pending.startUs, pending.endUs);
    }
    if (cut === 'pending') return { record };
    const stats: ProfileStats =
      cut === 'expired'
        ? { ...pending, status: 'expired' }
        : {
            ...pending,
            status: 'ready',
            samples: cut.samples,
            sampledMs: Math.round(cut.sampledMs * 1000) / 1000,
            topSelf: cut.functions.sorted('self', TOP_FUNCTIONS),
            topCumulative: cut.functions.sorted('cumulative', TOP_FUNCTIONS),
          };
    const cpuProfile = cut === 'expired' ? undefined : cut.cpuProfile;
    try {
      await store.attachProfile(record.id, stats, cpuProfile);
    } catch (error) {
      onError(error, 'store.attachProfile');
    }
    return { record: { ...record, panels: { ...record.panels, profile: stats } }, cpuProfile };
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

  return { resolve, cpuProfileOf };
}

export type RequestProfiles = ReturnType<typeof createRequestProfiles>;
