import { performance } from 'node:perf_hooks';
import type { ProfileStats } from '../../shared/profile.js';
import { overlappingRequests } from '../context.js';
import { toProfileClock } from '../profiler/clock.js';
import type { ProfilerSettings } from '../profiler/profiler.js';
import type { Panel } from './panel.js';

/**
 * The request's CPU profile. Its samples arrive with the profiler's next segment, so the
 * record first says `pending` with the request's window; the API fills in the rest when the
 * record is read (see `request-profiles.ts`).
 */
export function profilePanel(settings: ProfilerSettings): Panel<ProfileStats | undefined> {
  return {
    id: 'profile',
    stats(ctx) {
      if (!ctx.profiled) return undefined;
      return {
        status: 'pending',
        startUs: Math.round(toProfileClock(ctx.start)),
        endUs: Math.round(toProfileClock(ctx.endedAt ?? performance.now())),
        intervalMs: settings.intervalMs,
        samples: 0,
        sampledMs: 0,
        overlappingRequests: overlappingRequests(ctx),
        topSelf: [],
        topCumulative: [],
      };
    },
  };
}
