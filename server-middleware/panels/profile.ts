import { performance } from 'node:perf_hooks';
import type { ProfileStats } from '../../shared/profile.js';
import { overlappingRequests } from '../context.js';
import { toProfileClock } from '../profiler/clock.js';
import type { ProfilerSettings } from '../profiler/profiler.js';
import { PanelSkipped, type Panel } from './panel.js';

/**
 * The request's CPU profile. Its samples arrive with the profiler's next segment, so the
 * record first says `pending` with the request's window and the `instance` whose profiler
 * holds the samples; that instance fills in the rest (see `request-profiles.ts`).
 * `unavailable` says why requests are not being profiled, when something else holds V8's
 * profiler; such records list the profile as skipped, with that reason.
 */
export function profilePanel(
  settings: ProfilerSettings,
  instance: string,
  unavailable: () => string | null,
): Panel<ProfileStats | undefined> {
  return {
    id: 'profile',
    stats(ctx) {
      if (!ctx.profiled) {
        const reason = unavailable();
        if (reason !== null) throw new PanelSkipped(reason);
        return undefined;
      }
      return {
        status: 'pending',
        instance,
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
