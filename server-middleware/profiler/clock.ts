import { performance } from 'node:perf_hooks';

/**
 * V8 stamps profiles in microseconds of the `process.hrtime` clock; Loupe times requests
 * with `performance.now()`, the same clock from another origin. The offset is fixed.
 */
const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;

export function toProfileClock(performanceMs: number): number {
  return performanceMs * 1000 + offsetUs;
}

export function profileClockNow(): number {
  return toProfileClock(performance.now());
}
