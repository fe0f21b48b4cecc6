import type { ProfileFile } from '../profiler/accumulated-profile.js';

/**
 * Where a profiler sends its accumulated statistics when they are shared with other processes
 * (the Redis store). The profiler accumulates locally and hands over what it gathered as a
 * batch, once per segment, off the request path; readers get the sum of every process's batches.
 */
export interface ProfileSink {
  /** Adds a batch; a failed batch is dropped (and counted by the sink). */
  add(batch: ProfileFile): Promise<void>;
  /** Everything added since the last reset, or null when nothing was. */
  read(): Promise<ProfileFile | null>;
  reset(): Promise<void>;
}
